import { csvBatchChunks } from '../../core/csv-text.ts';
import { SparkifyError, withStep } from '../../core/errors.ts';
import { silentProgress, type Progress } from '../../core/progress.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { countDuplicates, emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import { loadLockWaitMs, type LockWait, type SqlEngine, type SqlSession } from '../../engines/engine.ts';
import { readSongsAhead } from '../../fastpath/star-load/read-songs-ahead.ts';
import { playRowsOnMainThread, readAheadChars, type PlayRows } from './play-rows.ts';
import { playRowsInWorkers } from '../../fastpath/star-load/play-rows-in-workers.ts';
import { SongCatalog, type CatalogRow } from './song-catalog.ts';
import { playPath, type StarLoadPlan } from './star-plan.ts';
import { songCells } from './staging-rules.ts';
import { countStarDuplicates, countStarTables, type TableCount } from './star-queries.ts';
import { TimeBeside } from '../../fastpath/star-load/time-beside.ts';

export interface StarLoadResult {
  sources: SourceCounts[];
  tables: TableCount[];
  seconds: number;
}

/**
 * Runs a plan in one transaction: a failure anywhere (bad file, lost connection) rolls everything back and
 * leaves the previous tables as they were. Record-level problems never fail the load: they are quarantined.
 */
export async function applyStarLoad(
  plan: StarLoadPlan,
  engine: SqlEngine,
  quarantine: QuarantineSink,
  progress: Progress = silentProgress,
  now: () => number = performance.now.bind(performance),
  options: { workers?: number; lockWait?: LockWait } = {},
): Promise<StarLoadResult> {
  const started = now();
  const songs = emptyCounts('songs');
  const logs = emptyCounts('logs');
  // The plan chose how the plays are read (star-plan.ts: PlayPath); both paths run the same readers and rules. Worker
  // threads start first, so that they read the first events while this thread stages the songs. `options.workers`
  // (tests) fixes the number of threads, as the plan's `workers` would: never with the fast paths off.
  const path = options.workers === undefined ? plan.plays : playPath(plan.fastPaths, options.workers, plan.logs.files.length);
  // Created before connecting: either source starts reading the events at once.
  const plays: PlayRows = path.workers === 0
    ? playRowsOnMainThread(plan.logs.files, logs, quarantine, path.readAhead ? readAheadChars : 0)
    : playRowsInWorkers(plan.logs.files, logs, quarantine, { workers: path.workers, scan: path.scan === 'webassembly' ? 'wasm' : 'js' });
  // On a server's first load, `time` is built beside on another connection (time-beside.ts).
  let beside: TimeBeside | undefined;
  let committed = false;
  // The step a failure is reported in (the engine names its own: connecting, commit).
  let running: string | undefined;
  try {
    await engine.transaction(async (tx) => {
      // First: another load of the same database (another process) makes this one wait, or fail with SPK_E_LOCKED.
      await engine.lockLoads(options.lockWait ?? { ms: loadLockWaitMs }, tx);
      for (const step of plan.steps) {
        running = step.name;
        if (step.kind === 'sql') {
          progress.update(`running ${step.name}`);
          await tx.exec(step.sql);
        } else if (step.kind === 'catalog') {
          progress.update('reading the song catalog');
          plays.start(new SongCatalog(await tx.query<CatalogRow>(step.sql)));
        } else if (step.source === 'songs') {
          const rows = csvBatchChunks(tickBatches(readSongsAhead(plan.songs.files, quarantine, songs, path.readAhead ? undefined : 1), songs, plan.songs.files.length, progress), songCells(songs));
          await tx.copyCsv(step.table, step.columns, rows);
          progress.done(`${step.name}: ${songs.loaded.toLocaleString('en-US')} rows`);
        } else if (step.source === 'plays') {
          const table = step.mergeTable !== undefined && !(await onBulkPath(tx, 'bulk')) ? step.mergeTable : step.table;
          const copied = await tx.copyCsv(table, step.columns, tickBatches(plays.chunks(), logs, plan.logs.files.length, progress), { released: (chunk) => plays.release(chunk), format: step.format });
          // Every play encoded is one row: anything else means bytes were lost or garbled on the way (the buffers are
          // reused), and the load must not commit.
          if (copied !== logs.loaded) {
            throw new SparkifyError('SPK_E_LOAD_FAILED', `COPY ${table} took ${copied} rows, but ${logs.loaded} plays were read: nothing was loaded`);
          }
          progress.done(`${step.name} into ${table}: ${logs.loaded.toLocaleString('en-US')} rows`);
        } else if (step.source === 'times') {
          const bulk = step.mergeTable === undefined || (await onBulkPath(tx, 'time_bulk'));
          if (bulk && step.beside === true && engine.concurrentTransactions) {
            progress.update('building time beside the fact table');
            beside = await TimeBeside.start(engine, tx, plays.times.chunks(), step.columns, step.columns[0] as string);
          }
          // Without a second connection (or one to be had), on this one.
          if (beside === undefined) {
            await tx.copyCsv(bulk ? step.table : (step.mergeTable as string), step.columns, plays.times.chunks(), { format: step.format });
          }
        } else {
          await tx.copyCsv(step.table, step.columns, csvBatchChunks(toAsync(plays.users.cells()), (cells) => cells));
        }
      }
      // The COPY took every play, repeats included (checked above); the repeats the SQL dropped are counted now.
      const duplicates = await countStarDuplicates(tx);
      countDuplicates(logs, duplicates.plays);
      countDuplicates(songs, duplicates.songs);
      running = undefined;
      if (beside !== undefined) {
        running = 'putting time in place';
        progress.update('putting time in place');
        await beside.swapIn(tx);
      }
    });
    committed = true;
  } catch (error) {
    throw withStep(error, running);
  } finally {
    // The time rows' spool is read by the other connection until it is done.
    await beside?.settle(committed);
    await plays.close();
  }
  const tables = await countStarTables(engine);
  return { sources: [songs, logs], tables, seconds: (now() - started) / 1000 };
}

/** What 06-load-targets.sql decided, for songplays ('bulk') or time ('time_bulk'). */
async function onBulkPath(tx: SqlSession, table: 'bulk' | 'time_bulk'): Promise<boolean> {
  const [mode] = await tx.query<{ bulk: boolean }>(`SELECT ${table} AS bulk FROM load_mode`);
  return mode?.bulk === true;
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Reports progress once per batch (a chunk of a file, or a few files), without slowing the per-record loops. */
async function* tickBatches<T>(batches: AsyncIterable<T>, counts: SourceCounts, files: number, progress: Progress): AsyncGenerator<T> {
  for await (const batch of batches) {
    progress.update(`reading ${counts.source} (file ${counts.files}/${files})`, counts.read);
    yield batch;
  }
}
