import { stat } from 'node:fs/promises';
import { listFiles } from '../../src/datasets/list-files.ts';

/** Total size of the *.json files under the given directories: the input the MB/s figure is about. */
export async function inputBytes(...dirs: string[]): Promise<number> {
  let total = 0;
  for (const dir of dirs) {
    for (const file of await listFiles(dir, '.json')) total += (await stat(file)).size;
  }
  return total;
}
