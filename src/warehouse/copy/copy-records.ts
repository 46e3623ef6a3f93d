import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SparkifyError } from '../../core/errors.ts';
import { splitJsonObjects } from '../../datasets/split-json-objects.ts';
import type { StagingTable } from '../staging-tables.ts';
import { copyCell, type Cell } from './copy-cell.ts';
import type { Extractor } from './json-format.ts';
import { clipRaw, type LoadError } from './load-error.ts';

export type CopyRecord = { ok: true; cells: Cell[] } | { ok: false; error: LoadError };

const decoder = new TextDecoder('utf-8', { fatal: true });
/** Redshift's limit for one JSON record. */
const maxRecordBytes = 4 * 1024 * 1024;
const lossy = new TextDecoder('utf-8');

/**
 * The records of one object as COPY JSON reads them: JSON objects separated by whitespace (one per line, or
 * pretty-printed, or several on a line), gzip-compressed or not. Each record becomes the table's row, or a load
 * error naming the first column that does not fit.
 */
export async function* copyRecords(bytes: AsyncIterable<Uint8Array>, file: string, table: StagingTable, extract: Extractor): AsyncGenerator<CopyRecord> {
  const columns = table.columns;
  for await (const piece of splitJsonObjects(gunzipIfCompressed(bytes, file), maxRecordBytes, { lineBreakEndsString: true })) {
    if (piece.kind === 'bad') {
      yield { ok: false, error: { table: table.name, file, line: piece.line, column: '', reason: piece.reason, raw: clipRaw(piece.raw) } };
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(piece.bytes);
    } catch {
      yield { ok: false, error: { table: table.name, file, line: piece.line, column: '', reason: 'invalid UTF-8', raw: clipRaw(lossy.decode(piece.bytes)) } };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { ok: false, error: { table: table.name, file, line: piece.line, column: '', reason: `Invalid JSON: ${(error as Error).message}`, raw: clipRaw(text) } };
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      yield { ok: false, error: { table: table.name, file, line: piece.line, column: '', reason: 'Invalid JSON: the record is not a JSON object', raw: clipRaw(text) } };
      continue;
    }
    const values = extract(parsed as Record<string, unknown>);
    const cells: Cell[] = new Array(columns.length);
    let rejected: LoadError | undefined;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as (typeof columns)[number];
      const result = copyCell(values[i], column.type);
      if (!result.ok) {
        rejected = { table: table.name, file, line: piece.line, column: column.name, reason: result.reason, raw: clipRaw(text) };
        break;
      }
      cells[i] = result.cell;
    }
    yield rejected ? { ok: false, error: rejected } : { ok: true, cells };
  }
}

/** Gzip is recognised by its magic bytes (1f 8b), so compressed and plain objects can share a prefix. */
async function* gunzipIfCompressed(bytes: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const iterator = bytes[Symbol.asyncIterator]();
  // The magic is two bytes, and a stream may hand them over one at a time.
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2) {
    const r = await iterator.next();
    if (r.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, r.value]);
  }
  if (head.length === 0) return;
  const all = (async function* () {
    yield head;
    if (ended) return;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  })();
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all;
    return;
  }
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(all), gunzip).catch((cause: unknown) => cause);
  try {
    yield* gunzip as AsyncIterable<Uint8Array>;
  } catch (cause) {
    if (cause instanceof SparkifyError) throw cause;
    throw new SparkifyError('SPK_E_INPUT_UNREADABLE', `cannot read ${file}: bad gzip data (${(cause as Error).message})`, { cause, details: { file } });
  }
  const failure = await feeding;
  if (failure instanceof SparkifyError) throw failure;
}
