import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from '../../scripts/servers/cassandra-jars.ts';
import type { Progress } from '../../src/core/progress.ts';
import { simulate, type SimulateSummary } from '../../src/simulator/simulate.ts';

export interface SimEvents {
  dir: string;
  logs: string;
  events: string;
  summary: SimulateSummary;
  generated: boolean;
}

/** Events per user-day that the simulator produces at these settings (measured: ~2.66). */
const eventsPerUserDay = 2.66;

/**
 * About `events` simulated events (30 days from 2018-11-01), generated once with the project's simulator and cached
 * under ~/.cache/sparkify/bench-sim/: same options, same bytes, so the options are the cache key.
 */
export async function simEvents(events: number, seed: number, progress: Progress): Promise<SimEvents> {
  const days = 30;
  const users = Math.max(1, Math.round(events / (eventsPerUserDay * days)));
  const dir = join(cacheRoot(), 'bench-sim', `u${users}-d${days}-s10000-seed${seed}`);
  const marker = join(dir, 'summary.json');
  const paths = { dir, logs: join(dir, 'log_data'), events: join(dir, 'event_data') };
  if (existsSync(marker)) return { ...paths, summary: JSON.parse(await readFile(marker, 'utf8')) as SimulateSummary, generated: false };
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, '..'), { recursive: true });
  const summary = await simulate({ outDir: staging, users, days, songs: 10_000, seed, start: new Date('2018-11-01T00:00:00Z'), progress });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  await writeFile(marker, `${JSON.stringify({ ...summary, outDir: dir }, null, 2)}\n`);
  return { ...paths, summary, generated: true };
}
