import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '../../src/core/progress.ts';
import { simulate, type SimulateSummary } from '../../src/simulator/simulate.ts';

export interface SimDatasetRequest {
  /** Roughly how many events (all pages); the simulator decides the exact number. */
  events: number;
  songs: number;
  days: number;
  seed: number;
}

export interface SimDataset {
  dir: string;
  songs: string;
  logs: string;
  summary: SimulateSummary;
  /** True when this run generated it (false: reused from the cache). */
  generated: boolean;
}

/** Events per user per day the simulator produces (measured at 13,495 users × 30 days: 1,078,291). */
const eventsPerUserDay = 2.66;
const start = new Date('2018-11-01T00:00:00Z');

export const benchCacheRoot = (env: NodeJS.ProcessEnv = process.env) =>
  env.SPARKIFY_BENCH_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sparkify-bench');

/**
 * A simulated dataset of about `events` events, generated once under the cache and reused: the simulator is
 * deterministic for the same options, so the options are the cache key. A marker written after generation makes
 * an interrupted run regenerate instead of reusing half a dataset.
 */
export async function simDataset(request: SimDatasetRequest, progress: Progress): Promise<SimDataset> {
  const users = Math.max(1, Math.round(request.events / (eventsPerUserDay * request.days)));
  const key = `u${users}-d${request.days}-s${request.songs}-seed${request.seed}`;
  const dir = join(benchCacheRoot(), key);
  const marker = join(dir, 'summary.json');
  const paths = { dir, songs: join(dir, 'song_data'), logs: join(dir, 'log_data') };
  if (existsSync(marker)) return { ...paths, summary: JSON.parse(await readFile(marker, 'utf8')) as SimulateSummary, generated: false };
  await rm(dir, { recursive: true, force: true });
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, '..'), { recursive: true });
  const summary = await simulate({ outDir: staging, users, days: request.days, songs: request.songs, seed: request.seed, start, progress });
  await rename(staging, dir);
  const final = { ...summary, outDir: dir };
  await writeFile(marker, `${JSON.stringify(final, null, 2)}\n`);
  return { ...paths, summary: final, generated: true };
}
