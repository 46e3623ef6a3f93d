import { performance } from 'node:perf_hooks';
import { silentProgress } from '../core/progress.ts';
import { SeededRandom } from '../core/seeded-random.ts';
import { ActivityCycle } from './activity.ts';
import { Catalog } from './catalog.ts';
import { DayFiles } from './day-files.ts';
import { runEventLoop } from './event-loop.ts';
import { assertFreshOutput } from './fresh-output.ts';
import { createSessionModel } from './session-model.ts';
import { UserFactory } from './sim-user.ts';
import { compileSimulateOptions } from './simulate-options.ts';
import type { SimulateOptions } from './simulate-options.ts';
import { writeSongFiles } from './write-song-files.ts';

export type { SimulateOptions } from './simulate-options.ts';

export interface SimulateSummary {
  outDir: string;
  seed: number;
  users: number;
  days: number;
  songs: number;
  events: number;
  nextSongEvents: number;
  /** Plays of songs that are not in song_data. */
  offCatalogPlays: number;
  sessions: number;
  guestSessions: number;
  upgrades: number;
  downgrades: number;
  cancellations: number;
  songFiles: number;
  logFiles: number;
  csvFiles: number;
  bytes: number;
  seconds: number;
  /** Of `seconds`: writing song_data, then simulating and writing the events. */
  songSeconds: number;
  eventSeconds: number;
}

/**
 * Writes a Sparkify dataset, byte-compatible with the course files: song_data (the catalog), log_data (JSON
 * lines per day) and event_data (the same events as Excel-mangled CSV per day). Same options and seed, same bytes.
 */
export async function simulate(options: SimulateOptions): Promise<SimulateSummary> {
  const o = compileSimulateOptions({ ...options });
  const progress = options.progress ?? silentProgress;
  const clock = options.clock ?? (() => performance.now());
  const began = clock();
  await assertFreshOutput(o.outDir);

  // The catalog and the users are functions of (seed, index) and the events have a generator of their own,
  // so that, say, more users or days never change the catalog.
  const root = new SeededRandom(o.seed);
  const offsetMs = root.int(0, 999);
  const eventRng = root.fork(2);

  const catalog = new Catalog(o.seed, o.songs, o.offCatalogShare);
  const songs = await writeSongFiles(catalog, o.outDir, progress);
  const songsDone = clock();

  const startSecond = Math.floor(o.start.getTime() / 1000);
  const factory = new UserFactory(o.seed, startSecond, offsetMs);
  const users = Array.from({ length: o.users }, (_, i) => factory.create(i));
  const files = new DayFiles(o.outDir);
  const counts = await runEventLoop({
    users,
    factory,
    rng: eventRng,
    catalog,
    model: createSessionModel(),
    cycle: new ActivityCycle(),
    files,
    startSecond,
    endSecond: startSecond + o.days * 86400,
    offsetMs,
    progress,
  });
  const ended = clock();
  const seconds = (ended - began) / 1000;
  progress.done(`simulated ${counts.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s`);
  return {
    outDir: o.outDir,
    seed: o.seed,
    users: o.users,
    days: o.days,
    songs: o.songs,
    ...counts,
    songFiles: songs.files,
    logFiles: files.files / 2,
    csvFiles: files.files / 2,
    bytes: songs.bytes + files.bytes,
    seconds,
    songSeconds: (songsDone - began) / 1000,
    eventSeconds: (ended - songsDone) / 1000,
  };
}
