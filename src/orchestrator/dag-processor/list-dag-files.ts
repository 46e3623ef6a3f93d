import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const dagFile = /\.(ts|mts|js|mjs)$/;

/**
 * The DAG files under `folder`, relative with `/` separators, sorted: TypeScript and JavaScript modules at any depth,
 * except names starting with `.` or `_` (helpers the author keeps apart), `node_modules`, and `.d.ts` files.
 */
export async function listDagFiles(folder: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(folder, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.startsWith('_') || e.name === 'node_modules') continue;
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) files.push(...(await listDagFiles(folder, rel)));
    else if (e.isFile() && dagFile.test(e.name) && !e.name.endsWith('.d.ts')) files.push(rel);
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
