import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inStep } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import { loadLockWaitMs, type LockWait } from '../../engines/engine.ts';
import type { LakeEngine } from '../../engines/lake-engine.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import { parseLocation, type Location } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { acquireLakeLock, defaultLakeLeaseMs, type LakeLock } from './lake-lock.ts';
import type { LakePlan } from './lake-plan.ts';
import { publishLake, type PublishResult, type StagedTable } from './publish-lake.ts';
import { localFiles, stageRecords } from './stage-records.ts';

export interface LakeBuildDeps {
  open: (location: Location) => Promise<ObjectStore>;
  /** Names this run's files and manifest version: unique per run, safe in a file name. */
  runId: string;
  quarantine: QuarantineSink;
  progress: Progress;
  now?: () => Date;
  /** Where inputs are spooled and Parquet is staged before publishing (default: the OS temp dir). */
  tempDir?: string;
  /**
   * The lake's lock: how long to wait for another build of the same lake (default: loads' ten minutes) and the lease
   * this run's lock outlives it by if it is killed (default 30 s). Its `now` is a monotonic clock for tests.
   */
  lock?: { wait?: LockWait; leaseMs?: number; now?: () => number };
}

export interface LakeBuildResult {
  runId: string;
  seconds: number;
  /** read = loaded + quarantined + filtered + duplicates, per source. */
  sources: SourceCounts[];
  tables: { table: string; rows: number; partitions: number; files: number; bytes: number }[];
  publish: Omit<PublishResult, 'manifest'>;
}

/** Runs the plan on `engine`: read and validate, stage, build the tables, write Parquet, publish. */
export async function applyLakeBuild(plan: LakePlan, engine: LakeEngine, deps: LakeBuildDeps): Promise<LakeBuildResult> {
  const started = Date.now();
  const temp = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'sparkify-lake-'));
  const stores: ObjectStore[] = [];
  const open = async (location: Location) => {
    const store = await deps.open(location);
    stores.push(store);
    return store;
  };
  let lock: LakeLock | undefined;
  try {
    // The whole run holds the lake (docs/decisions/2026-12-08-lake-lock.md): two builds at once would each sweep the
    // files the other has not committed yet. Taken first, so a waiting build has spent nothing.
    const output = parseLocation(plan.output);
    const lake = await open(output);
    lock = await inStep('lock the lake', async () => {
      await lake.ensureRoot();
      return acquireLakeLock(lake, output.prefix, { wait: deps.lock?.wait ?? { ms: loadLockWaitMs }, leaseMs: deps.lock?.leaseMs ?? defaultLakeLeaseMs,
        owner: `${deps.runId}-${randomBytes(4).toString('hex')}`, ...(deps.lock?.now ? { now: deps.lock.now } : {}) });
    });
    const held = lock;
    const sources: SourceCounts[] = [];
    const staged: number[] = [];
    for (const stage of plan.staging) {
      const location = parseLocation(stage.source === 'song_data' ? plan.songs : plan.logs);
      const counts = await inStep(`read ${stage.source}`, async () => {
        const store = await open(location);
        const files = await localFiles(store, location, '.json', join(temp, 'input'));
        return stageRecords(stage.source, files, join(temp, `${stage.name}.jsonl`), deps.quarantine, deps.progress);
      });
      deps.progress.done(`${stage.source}: ${counts.files.toLocaleString('en-US')} files, ${counts.read.toLocaleString('en-US')} records read, ${counts.quarantined} quarantined`);
      staged.push(await inStep(`load ${stage.name}`, () => engine.loadJsonLines(stage.name, [join(temp, `${stage.name}.jsonl`)], stage.columns)));
      sources.push(counts);
    }
    const rows = new Map<string, number>();
    for (const step of plan.steps) {
      deps.progress.update(`building ${step.name}`);
      rows.set(step.name, await inStep(`build ${step.name}`, () => engine.createTable(step.name, step.sql)));
    }

    // The songs kept, one per song_id: the table's rows, written or not (a run over an interval writes no songs).
    const [kept] = await engine.query('SELECT count(*) AS n FROM lake_catalog_songs WHERE kept = 1');
    rows.set('kept_songs', Number(kept?.n ?? 0));

    const stagedTables: StagedTable[] = [];
    const tables: LakeBuildResult['tables'] = [];
    for (const table of plan.tables) {
      deps.progress.update(`writing ${table.name}`);
      const name = `lake_${table.name}`;
      const n = await inStep(`build ${table.name}`, () => engine.createTable(name, table.sql));
      rows.set(table.name, n);
      const files = await inStep(`write ${table.name}`, () => engine.writeParquet(name, join(temp, 'parquet', table.name), table.partitionBy, `part-${deps.runId}`));
      stagedTables.push({ name: table.name, files });
      tables.push({ table: table.name, rows: n, partitions: new Set(files.map((f) => f.path.slice(0, Math.max(0, f.path.lastIndexOf('/'))))).size,
        files: files.length, bytes: files.reduce((b, f) => b + f.bytes, 0) });
    }

    const { manifest: _manifest, ...publish } = await inStep('publish', async () => publishLake(plan, lake, output.prefix, join(temp, 'parquet'), stagedTables,
      { version: deps.runId, now: deps.now ?? (() => new Date()), progress: deps.progress, stillHeld: () => held.check() }));

    settleCounts(sources, staged, rows);
    return { runId: deps.runId, seconds: (Date.now() - started) / 1000, sources, tables, publish };
  } finally {
    // A release that fails leaves the lock to lapse after its lease: it must not fail a committed build, or hide the error.
    await lock?.release().catch(() => undefined);
    for (const store of stores) await store.close().catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Every valid record is loaded, filtered or a duplicate: songs, one row per song_id (a repeated id a duplicate);
 * events, the plays in scope collapse to one songplay per key (duplicates), the rest filtered (not a NextSong of a
 * user with a song, or outside the interval).
 */
function settleCounts(sources: SourceCounts[], staged: number[], rows: Map<string, number>): void {
  const [songs, events] = sources;
  const [validSongs = 0, validEvents = 0] = staged;
  if (songs) {
    const kept = rows.get('kept_songs') ?? 0;
    songs.loaded = kept;
    songs.duplicates = validSongs - kept;
  }
  if (events) {
    const plays = rows.get('lake_plays') ?? 0;
    const songplays = rows.get('songplays') ?? plays;
    events.loaded = songplays;
    events.duplicates = plays - songplays;
    events.filtered = validEvents - plays;
  }
}

