import { csvChunks } from '../../core/csv-text.ts';
import { configError, inStep } from '../../core/errors.ts';
import { silentProgress, type Progress } from '../../core/progress.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import { loadLockWaitMs, type LockWait, type SqlEngine, type SqlSession } from '../../engines/engine.ts';
import { parseLocation } from '../../storage/location.ts';
import { countStarTables, type TableCount } from '../star-load/star-queries.ts';
import { extractorFor } from './copy/json-format.ts';
import type { LoadError } from './copy/load-error.ts';
import { stageTable, type StageResult } from './copy/stage-table.ts';
import { duckdbDirectLoad } from '../../fastpath/warehouse/direct-load.ts';
import { readObjectText, type OpenStore } from './read-object-text.ts';
import { loadErrorColumns, loadTableName, stagingEvents, stagingSongs, type StagingTable } from './staging-tables.ts';
import type { CopyPath, CopyStep, WarehousePlan } from './warehouse-plan.ts';

export interface WarehouseLoadOptions {
  /** Opens the store behind a location (S3 settings are the caller's). */
  open: OpenStore;
  /** Names this load's rows in load_errors. */
  loadId: string;
  /** Objects read at once per COPY (default 8). */
  concurrency?: number;
  progress?: Progress;
  now?: () => number;
  /** Let DuckDB read the objects itself where the plan says so (default true; false: never; see fastpath/warehouse/direct-load.ts). */
  direct?: boolean;
  /** Threads that convert records for COPY (default: 2 on 2 or more cores, for inputs of 32 MB or more; 0: none). */
  workers?: number;
  /** How long to wait for another load of the same database (default 10 minutes), and how to say so. */
  lockWait?: LockWait;
}

export interface WarehouseLoadResult {
  loadId: string;
  /** Per staging table: read = loaded + quarantined (rejected by COPY); `repaired` of the loaded (a BOM, a lone surrogate). */
  sources: SourceCounts[];
  /** Per staging table, how it was read: by the engine itself ('direct') or converted here, and why not direct. */
  reads: { table: string; path: 'direct' | 'converted'; declined?: string }[];
  objects: number;
  bytes: number;
  staging: TableCount[];
  /** NextSong events with a user and a song: what songplays, users and time are built from. */
  plays: number;
  /**
   * What the transform collapsed, counted from the tables: plays repeating another's sessionId:itemInSession:userId
   * (plays - songplays), and complete song records repeating another's song_id (one kept per id).
   */
  duplicates: { plays: number; songs: number };
  tables: TableCount[];
  rejected: number;
  seconds: number;
  /** Where the time went: prepare (DDL), the COPYs (run at once: one phase), and the swap-and-transform transaction. */
  phases: { name: string; seconds: number }[];
}

/**
 * Runs a plan on a SQL engine (DuckDB or Postgres): prepare, COPY each staging table, then swap and transform in
 * one transaction. Rejected records are written to load_errors whether or not the load succeeds.
 */
export async function applyWarehouseLoad(plan: WarehousePlan, engine: SqlEngine, options: WarehouseLoadOptions): Promise<WarehouseLoadResult> {
  if (plan.target === 'redshift') throw configError('a Redshift plan is compiled, not run: use `sparkify warehouse plan --target redshift` and run its SQL on the cluster');
  // Held across the load's transactions: another load of the same database waits, or fails with SPK_E_LOCKED.
  const release = await engine.lockLoads(options.lockWait ?? { ms: loadLockWaitMs });
  try {
    return await loadLocked(plan, engine, options);
  } finally {
    await release();
  }
}

async function loadLocked(plan: WarehousePlan, engine: SqlEngine, options: WarehouseLoadOptions): Promise<WarehouseLoadResult> {
  const now = options.now ?? performance.now.bind(performance);
  const progress = options.progress ?? silentProgress;
  const started = now();
  const phases: { name: string; seconds: number }[] = [];
  let mark = started;
  const phase = (name: string) => {
    const t = now();
    phases.push({ name, seconds: (t - mark) / 1000 });
    mark = t;
  };
  for (const step of plan.prepare) {
    progress.update(`running ${step.name}`);
    await inStep(step.name, () => engine.exec(step.sql));
  }
  phase('prepare');
  // The COPYs run at once, each into its own table, so that one's waits (the songs: thousands of small requests)
  // are filled by the other's work (the events: a few large objects to convert). Each keeps its rejects apart, so
  // load_errors lists them in plan order. The first failure stops the others and is the one reported.
  const perStep = plan.stage.map(() => [] as LoadError[]);
  const stop = new AbortController();
  const settled = await Promise.allSettled(plan.stage.map(async (step, i) => {
    try {
      return await inStep(step.name, () => stageStep(engine, step, step.table === 'staging_songs' ? stagingSongs : stagingEvents, perStep[i] as LoadError[], options, progress, stop.signal));
    } catch (error) {
      stop.abort(error);
      throw error;
    }
  }));
  phase(plan.stage.map((s) => s.name).join(' ‖ '));
  const errors = perStep.flat();
  const staged: StageResult[] = [];
  try {
    for (const s of settled) {
      if (s.status === 'rejected') throw stop.signal.reason ?? s.reason;
      staged.push(s.value);
    }
  } catch (error) {
    await recordErrors(engine, options.loadId, errors);
    await engine.exec(plan.stage.map((s) => `DROP TABLE IF EXISTS ${s.into};`).join('\n'));
    throw error;
  }
  await recordErrors(engine, options.loadId, errors);
  let plays = 0;
  let catalogSongs = 0;
  await engine.transaction(async (tx) => {
    for (const step of plan.commit) {
      progress.update(`running ${step.name}`);
      await inStep(step.name, () => tx.exec(step.sql));
      if (step.name === '30-plays') plays = Number((await tx.query<{ n: number }>('SELECT count(*) AS n FROM staging_plays'))[0]?.n ?? 0);
      if (step.name === '31-catalog-songs') catalogSongs = Number((await tx.query<{ n: number }>('SELECT count(*) AS n FROM staging_catalog_songs'))[0]?.n ?? 0);
    }
  });
  phase('swap and transform');
  const stagingCounts = await engine.query<{ table: string; rows: number }>(
    "SELECT 'staging_events' AS \"table\", CAST(count(*) AS INTEGER) AS rows FROM staging_events UNION ALL SELECT 'staging_songs', CAST(count(*) AS INTEGER) FROM staging_songs");
  const byName = new Map(stagingCounts.map((r) => [r.table, Number(r.rows)]));
  const tables = await countStarTables(engine);
  return {
    loadId: options.loadId,
    sources: staged.map((s) => s.counts),
    reads: staged.map((s, i) => ({ table: (plan.stage[i] as CopyStep).table, path: s.path, ...(s.declined === undefined ? {} : { declined: s.declined }) })),
    objects: staged.reduce((n, s) => n + s.objects, 0),
    bytes: staged.reduce((n, s) => n + s.bytes, 0),
    staging: ['staging_events', 'staging_songs'].map((table) => ({ table, rows: byName.get(table) ?? 0 })),
    plays,
    duplicates: { plays: plays - rowsOf(tables, 'songplays'), songs: catalogSongs - rowsOf(tables, 'songs') },
    tables,
    rejected: errors.length,
    seconds: (now() - started) / 1000,
    phases,
  };
}

const rowsOf = (tables: TableCount[], name: string) => Number(tables.find((t) => t.table === name)?.rows ?? 0);

async function stageStep(engine: SqlEngine, step: CopyStep, table: StagingTable, errors: LoadError[], options: WarehouseLoadOptions, progress: Progress, stop: AbortSignal): Promise<StageResult> {
  const jsonPaths = step.format.mode === 'jsonpaths' ? await readObjectText(parseLocation(step.format.url), options.open) : undefined;
  const extract = extractorFor(step.format, table.columns, jsonPaths);
  const location = parseLocation(step.from);
  const store = await options.open(location);
  try {
    progress.update(`${step.name}: listing ${step.from}`);
    const into = loadTableName(table);
    // The plan chose the path (warehouse-plan.ts: CopyPath); `direct` and `workers` (tests) can narrow it, never widen it.
    const path = step.path as CopyPath;
    const direct = path.direct && options.direct !== false && engine.directJson !== undefined ? duckdbDirectLoad(engine.directJson, store, table, into, step.format, jsonPaths) : undefined;
    const result = await stageTable(engine, {
      table, into, store, prefix: location.prefix, extract, ...(direct === undefined ? {} : { direct }),
      maxErrors: step.maxErrors, concurrency: options.concurrency ?? 8,
      // Without `convert`, stageTable starts no workers and runs no byte scanner: the reference path.
      ...(path.fast ? { convert: { table, format: step.format, ...(jsonPaths === undefined ? {} : { jsonPaths }) } } : {}),
      ...(path.fast && options.workers !== undefined ? { workers: options.workers } : {}),
      stop,
    }, errors, progress);
    progress.done(`${step.name}: ${result.rows.toLocaleString('en-US')} rows from ${result.objects.toLocaleString('en-US')} objects` +
      (result.path === 'direct' ? ' (read by DuckDB itself)' : '') +
      (result.counts.quarantined > 0 ? `, ${result.counts.quarantined.toLocaleString('en-US')} rejected (load_errors)` : ''));
    return result;
  } finally {
    await store.close();
  }
}

/** Outside any transaction, like stl_load_errors: the record of why a load failed must survive its rollback. */
export async function recordErrors(engine: SqlSession, loadId: string, errors: readonly LoadError[]): Promise<void> {
  if (errors.length === 0) return;
  async function* rows() {
    yield* errors;
  }
  await engine.copyCsv('load_errors', loadErrorColumns, csvChunks(rows(), (e) => [loadId, e.table, e.file, e.line, e.column, e.reason, e.raw]));
}
