import { SparkifyError } from '../../../core/errors.ts';
import { mergeBounded } from '../../../core/merge-bounded.ts';
import { silentProgress, type Progress } from '../../../core/progress.ts';
import { workerThresholdBytes } from '../../../fastpath/worker-threads.ts';
import { emptyCounts, type SourceCounts } from '../../../datasets/source-counts.ts';
import type { SqlSession } from '../../../engines/engine.ts';
import { smallObjectBytes, type ObjectInfo, type ObjectStore } from '../../../storage/object-store.ts';
import type { StagingTable } from '../staging-tables.ts';
import type { ConvertInit } from '../../../fastpath/warehouse/convert-messages.ts';
import { ConvertPool } from '../../../fastpath/warehouse/convert-pool.ts';
import { csvBatches, type EncodedBatch } from './csv-records.ts';
import { RecordBytes } from '../../../fastpath/warehouse/record-bytes.ts';
import type { Extractor } from './json-format.ts';
import type { LoadError } from './load-error.ts';
import type { DirectLoad } from '../../../fastpath/warehouse/direct-load.ts';

export interface StageRequest {
  table: StagingTable;
  /** The table rows go into (the staging table's `_load` twin, swapped in later). */
  into: string;
  store: ObjectStore;
  /** Every object whose key starts with this is loaded, as COPY FROM 's3://bucket/prefix' does. */
  prefix: string;
  extract: Extractor;
  /** More rejected records than this fails the load (Redshift's MAXERROR). */
  maxErrors: number;
  /** Objects read at once. */
  concurrency: number;
  /**
   * What conversion workers need to rebuild `extract` (plain data). Without it, or below `workerThresholdBytes`
   * (fastpath/worker-threads.ts) of input, or with `workers: 0`, records are converted on this thread.
   */
  convert?: ConvertInit;
  /** Conversion worker threads (default: 2 on a machine with 2 or more cores, for inputs of 32 MB or more; 1 for many
   * small objects from S3 under that). */
  workers?: number;
  /** Aborted when another COPY of the same load failed: this one stops at its next batch, with that reason. */
  stop?: AbortSignal;
  /** The engine reading the objects itself, tried first when there are fewer than `manySmallObjects` of them (see
   * direct-load.ts); when it declines, the records are converted here as without it. */
  direct?: DirectLoad;
}

export interface StageResult {
  counts: SourceCounts;
  objects: number;
  bytes: number;
  rows: number;
  /** 'direct': the engine read the objects itself; 'converted': this process converted the records for COPY. */
  path: 'direct' | 'converted';
  /** Why the direct read was not used, when it was tried. */
  declined?: string;
}

/**
 * COPY with Redshift's semantics into `into`: lists the objects under the prefix, reads up to `concurrency` of them
 * at once, converts every record or rejects it into `errors` (which the caller keeps even when the load fails),
 * and bulk-loads the rows. More than `maxErrors` rejects stops the load at once with SPK_E_LOAD_FAILED.
 */
export async function stageTable(session: SqlSession, request: StageRequest, errors: LoadError[], progress: Progress = silentProgress): Promise<StageResult> {
  const { table, store } = request;
  const source = store.url(request.prefix);
  const objects: ObjectInfo[] = [];
  for await (const o of store.list(request.prefix)) {
    // Zero-byte keys ending in '/' are the "folders" consoles create: not data.
    if (!o.key.endsWith('/')) objects.push(o);
  }
  if (objects.length === 0) {
    throw new SparkifyError('SPK_E_INPUT_EMPTY', `COPY ${table.name}: no objects under ${source}`, { details: { source } });
  }
  const counts = emptyCounts(table.name);
  const bytes = objects.reduce((sum, o) => sum + o.size, 0);
  let declined: string | undefined;
  if (request.direct !== undefined && objects.length < manySmallObjects) {
    progress.update(`COPY ${table.name}: the engine reads ${objects.length.toLocaleString('en-US')} objects itself`);
    const outcome = await request.direct.load(objects);
    // The other COPY failed meanwhile: its reason, not a conversion started for nothing.
    request.stop?.throwIfAborted();
    if ('rows' in outcome) {
      // Nothing to count as repaired: DuckDB refuses a lone surrogate, and the check a BOM (line 1 not an object),
      // so input with a repair is always converted here.
      Object.assign(counts, { files: objects.length, read: outcome.rows, loaded: outcome.rows });
      return { counts, objects: objects.length, bytes, rows: outcome.rows, path: 'direct' };
    }
    declined = outcome.declined;
    progress.update(`COPY ${table.name}: converting the records here (${declined})`);
  }
  // Many small objects from S3 (the course's song files): the workers fetch them too, each with its own client, and
  // more at once, so the requests' CPU runs beside this thread's. With little to convert, one worker fetches and
  // converts them all: a second only competes with the events' workers and the engine
  // (docs/decisions/2026-12-01-warehouse-conversion-workers.md).
  const s3 = store.s3 !== undefined && objects.length >= manySmallObjects ? store.s3 : undefined;
  const useWorkers = request.convert !== undefined && request.workers !== 0 && (request.workers !== undefined || bytes >= workerThresholdBytes || s3 !== undefined);
  const workers = request.workers ?? (s3 !== undefined && bytes < workerThresholdBytes ? 1 : undefined);
  const pool = useWorkers ? new ConvertPool({ ...(request.convert as ConvertInit), ...(s3 === undefined ? {} : { s3 }) }, workers) : undefined;
  const fetchInWorkers = pool !== undefined && s3 !== undefined;
  try {
    const fast = request.convert === undefined ? undefined : RecordBytes.for(table.columns, request.convert.format, request.convert.jsonPaths);
    // Small objects go to the workers in groups, one request and one reply each: per object the messages and their
    // promises cost about as much as the GET. `concurrency` groups at once, so 4 × `concurrency` GETs in flight.
    const units: Unit[] = [];
    let group: ObjectInfo[] = [];
    for (const o of objects) {
      if (!fetchInWorkers || o.size > smallObjectBytes) {
        units.push({ here: o });
        continue;
      }
      group.push(o);
      if (group.length === smallObjectsPerRequest) {
        units.push({ fetchedThere: group });
        group = [];
      }
    }
    if (group.length > 0) units.push({ fetchedThere: group });
    const batches = mergeBounded(units, request.concurrency, (unit) => unitBatches(store, unit, request, counts, pool, fast), 2 * request.concurrency);
    // With conversion workers busy on the other cores, the engine loads on one thread (DuckDB's parallel reader would
    // take much more of their CPU: docs/decisions/2026-12-01-duckdb-copy-one-thread-one-transaction.md).
    const rows = await session.copyCsv(request.into, table.columns.map((c) => c.name), csvText(batches, counts, errors, request, progress, objects.length), pool ? { threads: 1 } : {});
    counts.files = objects.length;
    return { counts, objects: objects.length, bytes, rows, path: 'converted', ...(declined === undefined ? {} : { declined }) };
  } finally {
    await pool?.close();
  }
}

/** From how many objects in S3 the conversion workers fetch the small ones themselves. */
const manySmallObjects = 1000;
/** Small objects per request to a worker (fetched there at once). */
const smallObjectsPerRequest = 4;

/** The batches as CSV text, one chunk per batch; rejects are counted and kept, and past MAXERROR the COPY stops. */
async function* csvText(batches: AsyncIterable<EncodedBatch>, counts: SourceCounts, errors: LoadError[], request: StageRequest, progress: Progress, objects: number): AsyncGenerator<Uint8Array> {
  for await (const batch of batches) {
    request.stop?.throwIfAborted();
    counts.read += batch.rows + batch.errors.length;
    counts.loaded += batch.rows;
    counts.repaired += batch.repaired;
    if (batch.errors.length > 0) {
      counts.quarantined += batch.errors.length;
      errors.push(...batch.errors);
      if (counts.quarantined > request.maxErrors) throw tooManyErrors(request.table.name, request.maxErrors, errors);
    }
    progress.update(`COPY ${request.table.name} (object ${counts.files}/${objects})`, counts.read);
    if (batch.csv.length > 0) yield batch.csv;
  }
}

/** What one producer of the merge reads: a group of small objects a worker fetches, or one object read here. */
type Unit = { fetchedThere: ObjectInfo[] } | { here: ObjectInfo };

async function* unitBatches(store: ObjectStore, unit: Unit, request: StageRequest, counts: SourceCounts, pool: ConvertPool | undefined, fast: RecordBytes | undefined): AsyncGenerator<EncodedBatch> {
  if ('here' in unit) {
    yield* objectBatches(store, unit.here, request, counts, pool, fast);
    return;
  }
  // Groups are made only when the pool fetches.
  const batch = await (pool as ConvertPool).objectsBatch(unit.fetchedThere.map((o) => ({ key: o.key, size: o.size, file: store.url(o.key) })));
  if (batch.rows + batch.errors.length > 0) yield batch;
  counts.files += unit.fetchedThere.length;
}

/** One object's batches, converted by a worker of `pool`, or on this thread. */
async function* objectBatches(store: ObjectStore, object: ObjectInfo, request: StageRequest, counts: SourceCounts, pool: ConvertPool | undefined, fast: RecordBytes | undefined): AsyncGenerator<EncodedBatch> {
  const file = store.url(object.key);
  if (pool) {
    yield* pool.batches(store.get(object.key, object.size), file);
  } else {
    yield* csvBatches(store.get(object.key, object.size), file, request.table, request.extract, fast);
  }
  counts.files++;
}

function tooManyErrors(table: string, maxErrors: number, errors: LoadError[]): SparkifyError {
  const first = errors[0];
  const where = first ? ` The first: ${first.file}:${first.line}${first.column ? ` column ${first.column}` : ''}: ${first.reason}.` : '';
  return new SparkifyError('SPK_E_LOAD_FAILED',
    `COPY ${table} rejected more than MAXERROR ${maxErrors} records, so nothing was loaded and the previous tables are intact.${where} ` +
    'All rejected records are in the load_errors table.', { details: { table, maxErrors, rejected: errors.length } });
}
