import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { forEachBounded } from '../../core/bounded.ts';
import { silentProgress, type Progress } from '../../core/progress.ts';
import { emptyCounts } from '../../datasets/source-counts.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { ident } from '../../engines/identifiers.ts';
import type { ObjectInfo } from '../../storage/object-store.ts';
import { nativeSelect, type NativeColumn } from './native-json-sql.ts';
import type { LoadError } from './load-error.ts';
import { listStageObjects, stageObjectsInJs, type StageRequest, type StageResult } from './stage-table.ts';

/** A batch of objects handed to one DuckDB statement: about this many bytes, or this many objects. */
export interface BatchLimits {
  bytes: number;
  objects: number;
}

const defaultBatch: BatchLimits = { bytes: 256 * 1024 * 1024, objects: 4096 };
/** How often one batch is tried again without a file DuckDB's reader named in an error. */
const maxExclusions = 32;

interface OnDisk {
  object: ObjectInfo;
  path: string;
}

/**
 * COPY with Redshift's semantics on DuckDB, with DuckDB's own JSON reader doing the parsing (several threads, native
 * code) for every object whose records all convert without doubt (native-json-sql.ts); the other objects go through
 * the JavaScript path (copy-records.ts), which gives the same rows and the exact load errors. The result is what
 * stageTable gives, row for row and reject for reject. Objects of a store backed by local files are read where they
 * are; others are downloaded into a temporary directory, the next batch while DuckDB reads the current one.
 */
export async function stageTableNative(session: SqlSession, request: StageRequest, columns: readonly NativeColumn[], errors: LoadError[], progress: Progress = silentProgress,
  options: { spoolRoot?: string; batch?: BatchLimits } = {}): Promise<StageResult> {
  const { table, store } = request;
  const objects = await listStageObjects(request);
  const counts = emptyCounts(table.name);
  const bytes = objects.reduce((sum, o) => sum + o.size, 0);
  const spool = store.localPath ? undefined : await mkdtemp(join(options.spoolRoot ?? tmpdir(), 'sparkify-stage-'));
  let rows = 0;
  let parsedNatively = 0;
  try {
    const batches = splitBatches(objects, options.batch ?? defaultBatch);
    const fetch = (b: number) => onDisk(batches[b] as ObjectInfo[], b, request, spool);
    let next = batches.length > 0 ? fetch(0) : undefined;
    for (let b = 0; b < batches.length; b++) {
      const current = await (next as Promise<OnDisk[]>);
      next = b + 1 < batches.length ? fetch(b + 1) : undefined;
      // A download that fails while this batch loads is reported when its turn comes.
      next?.catch(() => undefined);
      progress.update(`COPY ${table.name} (object ${counts.files}/${objects.length}, DuckDB's JSON reader)`, counts.read);
      const { loaded, rest } = await loadNatively(session, request.into, columns, current);
      counts.read += loaded.records;
      counts.loaded += loaded.records;
      counts.files += loaded.files;
      parsedNatively += loaded.files;
      rows += loaded.records;
      if (rest.length > 0) {
        const js = await stageObjectsInJs(session, request, rest.map((r) => r.object), errors, progress, (o) => readFrom(rest, o), counts.quarantined);
        for (const key of ['read', 'loaded', 'quarantined', 'files'] as const) counts[key] += js.counts[key];
        rows += js.rows;
      }
      if (spool) await Promise.all(current.map((c) => rm(c.path, { force: true })));
    }
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
  return { counts, objects: objects.length, bytes, rows, parsedNatively };
}

function splitBatches(objects: readonly ObjectInfo[], limits: BatchLimits): ObjectInfo[][] {
  const batches: ObjectInfo[][] = [];
  let batch: ObjectInfo[] = [];
  let size = 0;
  for (const o of objects) {
    if (batch.length > 0 && (size + o.size > limits.bytes || batch.length >= limits.objects)) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(o);
    size += o.size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The batch's objects as files: their own paths in a local store, else downloaded into the spool directory. */
async function onDisk(batch: ObjectInfo[], b: number, request: StageRequest, spool: string | undefined): Promise<OnDisk[]> {
  const { store } = request;
  const files: OnDisk[] = new Array(batch.length);
  await forEachBounded(batch, request.concurrency, async (object, i) => {
    if (store.localPath) {
      files[i] = { object, path: await store.localPath(object.key) };
      return;
    }
    // Named by position (keys may hold any character): batch b + 1 is downloaded beside batch b while DuckDB reads it.
    const path = join(spool as string, `${b}-${i}.json`);
    await pipeline(Readable.from(store.get(object.key)), createWriteStream(path));
    files[i] = { object, path };
  });
  return files;
}

function readFrom(files: readonly OnDisk[], object: ObjectInfo): AsyncIterable<Uint8Array> {
  const file = files.find((f) => f.object === object) as OnDisk;
  return createReadStream(file.path, { highWaterMark: 1024 * 1024 });
}

/**
 * Loads the batch's files whose records all fit; returns what it loaded and the files left for JavaScript: those
 * with a record that does not fit, those that start with gzip's magic bytes, and those DuckDB's reader fails on.
 */
async function loadNatively(session: SqlSession, into: string, columns: readonly NativeColumn[], files: OnDisk[]): Promise<{ loaded: { records: number; files: number }; rest: OnDisk[] }> {
  const rest: OnDisk[] = [];
  let candidates = await withoutGzip(files, rest);
  for (let attempt = 0; candidates.length > 0; attempt++) {
    try {
      return { loaded: await insertFitting(session, into, columns, candidates, rest), rest };
    } catch (error) {
      // DuckDB's reader names the file it could not read; without it the whole batch goes to JavaScript.
      const named = attempt < maxExclusions ? fileNamedIn(error, candidates) : undefined;
      if (named === undefined) {
        rest.push(...candidates);
        break;
      }
      rest.push(named);
      candidates = candidates.filter((c) => c !== named);
    }
  }
  return { loaded: { records: 0, files: 0 }, rest };
}

const batchTable = 'sparkify_native_stage';

async function insertFitting(session: SqlSession, into: string, columns: readonly NativeColumn[], files: OnDisk[], rest: OnDisk[]): Promise<{ records: number; files: number }> {
  await session.exec(`CREATE OR REPLACE TEMPORARY TABLE ${batchTable} AS ${nativeSelect(columns, files.map((f) => f.path))}`);
  try {
    // A NULL check (a value DuckDB could not cast) counts as not fitting.
    const perFile = await session.query<{ filename: string; records: number | bigint; fits: boolean }>(
      `SELECT filename, count(*) AS records, bool_and(coalesce(fits, false)) AS fits FROM ${batchTable} GROUP BY filename`);
    const unfit = new Set(perFile.filter((f) => !f.fits).map((f) => f.filename));
    const names = columns.map((c) => ident(c.name)).join(', ');
    const values = columns.map((_, i) => `c${i}`).join(', ');
    await session.exec(`INSERT INTO ${ident(into)} (${names}) SELECT ${values} FROM ${batchTable} ` +
      `WHERE filename NOT IN (SELECT filename FROM ${batchTable} GROUP BY filename HAVING NOT bool_and(coalesce(fits, false)))`);
    for (const f of files) if (unfit.has(f.path)) rest.push(f);
    const records = perFile.filter((f) => f.fits).reduce((n, f) => n + Number(f.records), 0);
    return { records, files: files.length - unfit.size };
  } finally {
    await session.exec(`DROP TABLE IF EXISTS ${batchTable}`);
  }
}

async function withoutGzip(files: OnDisk[], rest: OnDisk[]): Promise<OnDisk[]> {
  const plain: OnDisk[] = [];
  for (const f of files) {
    if (await startsWithGzipMagic(f.path)) rest.push(f);
    else plain.push(f);
  }
  return plain;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function fileNamedIn(error: unknown, files: OnDisk[]): OnDisk | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return files.find((f) => message.includes(`"${f.path}"`));
}
