import { csvLine } from '../../../core/csv-text.ts';
import { JsonObjectSplitter } from '../../../datasets/json-object-splitter.ts';
import type { StagingTable } from '../staging-tables.ts';
import { convert, gunzipIfCompressed, maxRecordBytes, type CopyBatch } from './copy-records.ts';
import type { Extractor } from './json-format.ts';
import type { LoadError } from './load-error.ts';
import { CsvOut } from './csv-out.ts';
import type { RecordBytes } from '../../../fastpath/warehouse/record-bytes.ts';

/** A batch's rows as COPY CSV bytes (in an ArrayBuffer of their own), how many, and the records it rejected. */
export interface EncodedBatch {
  csv: Uint8Array<ArrayBuffer>;
  rows: number;
  errors: LoadError[];
  /** Of `rows`, those loaded after a repair (CopyBatch.repaired): only the reference path repairs, the byte path declines. */
  repaired: number;
}

const NEWLINE = 0x0a;
/** A partial line longer than this is not carried to the next chunk: RecordBytes would decline it anyway. */
const maxCarriedBytes = 65_536;

/**
 * copyBatches (copy-records.ts) with the rows encoded as CSV, a chunk at a time, and the common record taken by the
 * byte path: each complete line is offered to RecordBytes first, and what it declines — and everything after, until
 * the splitter is between objects again at a line's end (a record over several lines, text outside objects) — goes
 * through the reference splitter and JSON.parse. The rows, rejects and line numbers are the reference's
 * (test/warehouse/csv-records.test.ts compares the two on hostile and randomly damaged input).
 */
export class CsvRecordConverter {
  private readonly splitter = new JsonObjectSplitter(maxRecordBytes, { lineBreakEndsString: true });
  private readonly file: string;
  private readonly table: StagingTable;
  private readonly extract: Extractor;
  private readonly fast: RecordBytes | undefined;
  /** The line the next byte starts, while the byte path has the stream. */
  private line = 1;
  /** The splitter has the stream (inside an object or stray text, or mid-line). */
  private slow = false;
  /** The start of a line the last chunk did not finish. */
  private tail: Buffer | undefined;
  private out = new CsvOut(0);
  private rows = 0;
  private repaired = 0;
  private errors: LoadError[] = [];

  constructor(file: string, table: StagingTable, extract: Extractor, fast: RecordBytes | undefined) {
    this.file = file;
    this.table = table;
    this.extract = extract;
    this.fast = fast;
    if (fast === undefined) this.slow = true;
  }

  push(chunk: Uint8Array): EncodedBatch {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.out = new CsvOut(b.length + (this.tail?.length ?? 0));
    const n = b.length;
    let i = 0;
    if (this.tail !== undefined) {
      const nl = b.indexOf(NEWLINE);
      if (nl < 0) {
        this.tail = Buffer.concat([this.tail, b]);
        if (this.tail.length > maxCarriedBytes) this.giveTail();
        return this.batch();
      }
      const line = Buffer.concat([this.tail, b.subarray(0, nl + 1)]);
      this.tail = undefined;
      this.line1(line, 0, line.length - 1);
      i = nl + 1;
    }
    while (i < n) {
      if (this.slow) {
        i = this.feedSlow(b, i);
        continue;
      }
      const nl = b.indexOf(NEWLINE, i);
      if (nl < 0) {
        this.tail = Buffer.from(b.subarray(i));
        if (this.tail.length > maxCarriedBytes) this.giveTail();
        break;
      }
      this.line1(b, i, nl);
      i = nl + 1;
    }
    return this.batch();
  }

  end(): EncodedBatch {
    this.out = new CsvOut(this.tail?.length ?? 0);
    const tail = this.tail;
    this.tail = undefined;
    // A last line without a line break.
    if (tail !== undefined) {
      if (this.fast?.row(tail, 0, tail.length, this.out)) this.rows++;
      else this.reference(tail);
    }
    this.write(convert(this.splitter.end(), this.file, this.table, this.extract));
    return this.batch();
  }

  /** One whole line b[from, to) (b[to] is its line break): the byte path, else the reference. */
  private line1(b: Buffer, from: number, to: number): void {
    if (this.fast?.row(b, from, to, this.out)) {
      this.rows++;
      this.line++;
      return;
    }
    this.reference(b.subarray(from, to + 1));
    if (this.splitter.idle) this.line = this.splitter.nextLine;
    else this.slow = true;
  }

  /** Bytes that start at this.line, through the splitter. */
  private reference(bytes: Buffer): void {
    // On line 1 the splitter has seen nothing yet: left as new, it strips (and reports) a BOM there.
    if (!this.slow && this.line > 1) this.splitter.resumeAt(this.line);
    this.write(convert(this.splitter.push(bytes), this.file, this.table, this.extract));
  }

  /** The splitter takes lines from b[i] until it is between objects at a line's end; returns where it stopped. */
  private feedSlow(b: Buffer, i: number): number {
    // Without a byte path the splitter keeps the stream: no need to stop at each line.
    const nl = this.fast === undefined ? -1 : b.indexOf(NEWLINE, i);
    const end = nl < 0 ? b.length : nl + 1;
    this.write(convert(this.splitter.push(b.subarray(i, end)), this.file, this.table, this.extract));
    if (nl >= 0 && this.splitter.idle && this.fast !== undefined) {
      this.slow = false;
      this.line = this.splitter.nextLine;
    }
    return end;
  }

  /** A partial line too long to carry: the splitter takes it, and the rest of the line after it. */
  private giveTail(): void {
    const tail = this.tail as Buffer;
    this.tail = undefined;
    this.reference(tail);
    this.slow = true;
  }

  private write(batch: CopyBatch): void {
    for (const row of batch.rows) this.out.text(csvLine(row));
    this.rows += batch.rows.length;
    this.repaired += batch.repaired;
    if (batch.errors.length > 0) this.errors.push(...batch.errors);
  }

  private batch(): EncodedBatch {
    const batch = { csv: this.out.bytes(), rows: this.rows, errors: this.errors, repaired: this.repaired };
    this.rows = 0;
    this.repaired = 0;
    this.errors = [];
    return batch;
  }
}

/** The records of one object as CSV batches, one per chunk read (see copyBatches for what is read). */
export async function* csvBatches(bytes: AsyncIterable<Uint8Array>, file: string, table: StagingTable, extract: Extractor, fast: RecordBytes | undefined): AsyncGenerator<EncodedBatch> {
  const converter = new CsvRecordConverter(file, table, extract, fast);
  for await (const chunk of gunzipIfCompressed(bytes, file)) {
    const batch = converter.push(chunk);
    if (batch.rows + batch.errors.length > 0) yield batch;
  }
  const last = converter.end();
  if (last.rows + last.errors.length > 0) yield last;
}
