import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Progress } from '../core/progress.ts';
import type { Catalog } from './catalog.ts';
import { outputError } from './output-error.ts';
import { formatSongFile, songFilePath } from './song-file.ts';

/** Files written at once: enough to keep the disk busy, few enough that memory and open handles stay small. */
const IN_FLIGHT = 64;

export interface SongFilesWritten {
  files: number;
  bytes: number;
}

/** Writes the catalog, one file per song, streaming: songs are generated as their turn comes. */
export async function writeSongFiles(catalog: Catalog, outDir: string, progress: Progress): Promise<SongFilesWritten> {
  // One mkdir per folder (at most 26³), shared by every writer that needs it before it exists.
  const made = new Map<string, Promise<unknown>>();
  let next = 0;
  let bytes = 0;
  let failed = false;
  const worker = async () => {
    while (next < catalog.size && !failed) {
      const song = catalog.song(next++);
      const path = join(outDir, songFilePath(song.trackId));
      const dir = dirname(path);
      let ready = made.get(dir);
      if (ready === undefined) {
        ready = mkdir(dir, { recursive: true });
        made.set(dir, ready);
      }
      const text = formatSongFile(song);
      try {
        await ready;
        // 'wx': ids are unique by construction, so an existing file means a bug or a reused output folder.
        await writeFile(path, text, { flag: 'wx' });
      } catch (error) {
        failed = true; // the other writers stop at their next file
        throw outputError(path, error);
      }
      bytes += Buffer.byteLength(text);
      progress.update('song files', next, catalog.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, catalog.size) }, worker));
  return { files: catalog.size, bytes };
}
