import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Total bytes of the files under a directory. */
export async function du(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of await opendir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await du(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}
