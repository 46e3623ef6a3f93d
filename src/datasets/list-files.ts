import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SparkifyError, unreadableInput } from '../core/errors.ts';
import { readDirectory } from '../core/read-directory.ts';

/**
 * Every file under `root` (a directory, or a single file) whose name ends with `extension`, in a stable
 * sorted order so runs and their quarantine line references are reproducible. Fails with a clear error
 * naming the path when the root or a sub-directory cannot be read, or when nothing matches.
 */
export async function listFiles(root: string, extension: string): Promise<string[]> {
  const absolute = resolve(root);
  let info;
  try {
    info = await stat(absolute);
  } catch (cause) {
    throw unreadableInput(absolute, cause);
  }
  if (info.isFile()) return [absolute];
  const found: string[] = [];
  walk(absolute, extension, found);
  if (found.length === 0) {
    throw new SparkifyError('SPK_E_INPUT_EMPTY', `no *${extension} files under ${absolute}`, { details: { path: absolute } });
  }
  return found.sort();
}

function walk(dir: string, extension: string, found: string[]): void {
  for (const entry of readDirectory(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, extension, found);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(extension)) found.push(path);
  }
}
