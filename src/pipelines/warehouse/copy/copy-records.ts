import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SparkifyError } from '../../../core/errors.ts';
import { JsonObjectSplitter, type JsonPiece } from '../../../datasets/json-object-splitter.ts';
import type { StagingTable } from '../staging-tables.ts';
import { CellReject, copyCell, type Cell } from './copy-cell.ts';
import type { Extractor } from './json-format.ts';
import { clipRaw, type LoadError } from './load-error.ts';

/** The records of one chunk of an object: the rows COPY loads and the records it rejects. */
export interface CopyBatch {
  rows: Cell[][];
  errors: LoadError[];
  /** Rows loaded after a repair: a BOM stripped before them, a lone surrogate stored as U+FFFD. */
  repaired: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');
/** Redshift's limit for one JSON record. */
export const maxRecordBytes = 4 * 1024 * 1024;

/**
 * The records of one object as COPY JSON reads them: JSON objects separated by whitespace (one per line, or
 * pretty-printed, or several on a line), gzip-compressed or not. Each record becomes the table's row, or a load
 * error naming the first column that does not fit. Records come in batches, one per chunk read.
 *
 * This is the reference, with rows as cells: the loads go through csv-records.ts, which shares `convert` and takes
 * the common record by its bytes, and whose tests hold it to this.
 */
export async function* copyBatches(bytes: AsyncIterable<Uint8Array>, file: string, table: StagingTable, extract: Extractor): AsyncGenerator<CopyBatch> {
  const splitter = new JsonObjectSplitter(maxRecordBytes, { lineBreakEndsString: true });
  for await (const chunk of gunzipIfCompressed(bytes, file)) {
    const batch = convert(splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)), file, table, extract);
    if (batch.rows.length + batch.errors.length > 0) yield batch;
  }
  const last = convert(splitter.end(), file, table, extract);
  if (last.rows.length + last.errors.length > 0) yield last;
}

/** The reference conversion: each piece parsed with JSON.parse and its fields put through copyCell. */
export function convert(pieces: JsonPiece[], file: string, table: StagingTable, extract: Extractor): CopyBatch {
  const rows: Cell[][] = [];
  const errors: LoadError[] = [];
  let repaired = 0;
  const columns = table.columns;
  const reject = (line: number, column: string, reason: string, raw: string) => errors.push({ table: table.name, file, line, column, reason, raw: clipRaw(raw) });
  for (const piece of pieces) {
    if (piece.kind === 'bad') {
      reject(piece.line, '', piece.reason, piece.raw);
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(piece.bytes);
    } catch {
      reject(piece.line, '', 'invalid UTF-8', lossy.decode(piece.bytes));
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      reject(piece.line, '', `Invalid JSON: ${(error as Error).message}`, text);
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      reject(piece.line, '', 'Invalid JSON: the record is not a JSON object', text);
      continue;
    }
    const values = extract(parsed as Record<string, unknown>);
    const cells: Cell[] = new Array(columns.length);
    let ok = true;
    let repair = piece.repairs.length > 0;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as (typeof columns)[number];
      let cell = copyCell(values[i], column.type);
      if (cell instanceof CellReject) {
        reject(piece.line, column.name, cell.reason, text);
        ok = false;
        break;
      }
      // A lone surrogate (JSON's "\ud800") has no UTF-8: every target stores U+FFFD, a repair worth counting (as the
      // star load's readers do). isWellFormed is constant-time on one-byte strings, nearly all of them.
      if (column.type === 'varchar' && typeof cell === 'string' && !cell.isWellFormed()) {
        cell = cell.toWellFormed();
        repair = true;
      }
      cells[i] = cell;
    }
    if (!ok) continue;
    rows.push(cells);
    if (repair) repaired++;
  }
  return { rows, errors, repaired };
}

/** Gzip is recognised by its magic bytes (1f 8b), so compressed and plain objects can share a prefix. */
export async function* gunzipIfCompressed(bytes: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
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
