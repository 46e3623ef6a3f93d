import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { configError } from '../core/errors.ts';

const OUTPUT_FOLDERS = ['song_data', 'log_data', 'event_data'] as const;

/**
 * Refuses an output folder that already holds a run. Overwriting would leave the old run's files beside the
 * new ones (other song ids, other days): a dataset that is no run at all.
 */
export async function assertFreshOutput(outDir: string): Promise<void> {
  for (const folder of OUTPUT_FOLDERS) {
    const entries = await readdir(join(outDir, folder)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw configError(`output folder ${outDir} cannot be read: ${error.message}`, { outDir });
    });
    if (entries.length > 0) {
      throw configError(`output folder ${outDir} already contains ${folder}/ from an earlier run; choose an empty or new folder`, { outDir, folder });
    }
  }
}
