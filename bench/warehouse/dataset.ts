import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '../../src/core/progress.ts';
import { simulate, type SimulateSummary } from '../../src/simulator/simulate.ts';

export interface WarehouseDataset {
  dir: string;
  summary: SimulateSummary;
  /** Bytes the warehouse reads: song_data + log_data (the CSV copy of the events is not loaded). */
  inputBytes: number;
}

/** Events per user per day the simulator produces (12,531 users × 30 days made 1,011,132 events). */
const eventsPerUserDay = 2.69;

/**
 * About `events` simulated events over `days`, generated once into ~/.cache/sparkify-bench (or
 * $SPARKIFY_BENCH_CACHE) and reused: the simulator is deterministic, so its options are the cache key. The course's
 * log_json_path.json is put beside song_data and log_data, as in the course's bucket.
 */
export async function warehouseDataset(request: { events: number; songs: number; days: number; seed: number; jsonPaths: string }, progress: Progress): Promise<WarehouseDataset> {
  const users = Math.max(1, Math.round(request.events / (eventsPerUserDay * request.days)));
  const root = process.env.SPARKIFY_BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sparkify-bench');
  const dir = join(root, `warehouse-u${users}-d${request.days}-s${request.songs}-seed${request.seed}`);
  const marker = join(dir, 'summary.json');
  if (!existsSync(marker)) {
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const summary = await simulate({ outDir: partial, users, days: request.days, songs: request.songs, seed: request.seed, start: new Date('2018-11-01T00:00:00Z'), progress });
    await copyFile(request.jsonPaths, join(partial, 'log_json_path.json'));
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    await writeFile(marker, `${JSON.stringify({ ...summary, outDir: dir }, null, 2)}\n`);
  }
  const summary = JSON.parse(await readFile(marker, 'utf8')) as SimulateSummary;
  const { du } = await import('./du.ts');
  return { dir, summary, inputBytes: (await du(join(dir, 'song_data'))) + (await du(join(dir, 'log_data'))) };
}
