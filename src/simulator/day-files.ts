import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ChunkBuffer } from './chunk-buffer.ts';
import { CSV_HEADER } from './event-format.ts';
import { outputError } from './output-error.ts';

/** Events are handed to the streams in chunks of about this many bytes: big writes, bounded memory. */
const CHUNK = 1 << 20;
/** Room past CHUNK so that the batch that crosses it still fits. */
const SLACK = 1 << 18;
/**
 * Events joined into one string before encoding: one encode call per batch is cheaper than one per line, while much
 * longer strings get slower again, each flattened as a whole
 * (docs/decisions/2026-11-25-simulator-pre-rendered-lines.md).
 */
const BATCH = 64;

/** YYYY, MM and YYYY-MM-DD of a UTC day. */
export function dayParts(dayStartSecond: number): { year: string; month: string; date: string } {
  const iso = new Date(dayStartSecond * 1000).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), date: iso.slice(0, 10) };
}

/**
 * The pair of files of the current day: log_data/YYYY/MM/YYYY-MM-DD-events.json (JSON lines joined by "\n",
 * no newline after the last, like the course files) and event_data/YYYY-MM-DD-events.csv (CRLF rows).
 * Callers append events and await flush() when `full`; the day is switched with `open()`.
 */
export class DayFiles {
  private json = new ChunkBuffer(CHUNK + SLACK);
  private csv = new ChunkBuffer(CHUNK + SLACK);
  /** Whether the next JSON line is the first of its file (it gets no separator). */
  private firstLine = true;
  private jsonBatch = '';
  private csvBatch = '';
  private batched = 0;
  files = 0;
  bytes = 0;
  private readonly outDir: string;
  private jsonStream: WriteStream | null = null;
  private csvStream: WriteStream | null = null;
  private failure: Error | null = null;

  constructor(outDir: string) {
    this.outDir = outDir;
  }

  append(jsonLine: string, csvRow: string): void {
    if (this.batched === 0) {
      this.jsonBatch = this.firstLine ? jsonLine : '\n' + jsonLine;
      this.csvBatch = csvRow;
      this.firstLine = false;
    } else {
      this.jsonBatch += '\n' + jsonLine;
      this.csvBatch += csvRow;
    }
    if (++this.batched === BATCH) this.encodeBatch();
  }

  private encodeBatch(): void {
    // Batches this long do not occur in practice; handing the chunk over early keeps them correct if they do.
    if (this.json.wouldOverflow(this.jsonBatch)) this.hand(this.json, this.jsonStream);
    if (this.csv.wouldOverflow(this.csvBatch)) this.hand(this.csv, this.csvStream);
    this.json.append(this.jsonBatch);
    this.csv.append(this.csvBatch);
    this.jsonBatch = '';
    this.csvBatch = '';
    this.batched = 0;
  }

  get full(): boolean {
    return this.json.length >= CHUNK || this.csv.length >= CHUNK;
  }

  async open(dayStartSecond: number): Promise<void> {
    await this.close();
    const { year, month, date } = dayParts(dayStartSecond);
    const logDir = join(this.outDir, 'log_data', year, month);
    const csvDir = join(this.outDir, 'event_data');
    await mkdir(logDir, { recursive: true });
    await mkdir(csvDir, { recursive: true });
    this.jsonStream = this.create(join(logDir, `${date}-events.json`));
    this.csvStream = this.create(join(csvDir, `${date}-events.csv`));
    this.files += 2;
    this.firstLine = true;
    this.csv.append(CSV_HEADER);
  }

  /** Passes the buffered bytes to the stream; false when the stream asks to wait for 'drain'. */
  private hand(buffer: ChunkBuffer, stream: WriteStream | null): boolean {
    if (buffer.length === 0 || stream === null) return true;
    const chunk = buffer.take();
    return stream.write(chunk, (error) => {
      if (!error) buffer.recycle(chunk);
    });
  }

  private create(path: string): WriteStream {
    // 'wx' so that a second run into the same folder fails instead of silently mixing two runs.
    const stream = createWriteStream(path, { flags: 'wx', highWaterMark: 4 * CHUNK });
    // Kept until the next flush or close reports it; without a listener an I/O error would crash the process.
    stream.on('error', (error) => {
      this.failure ??= outputError(path, error);
    });
    return stream;
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }

  async flush(): Promise<void> {
    this.check();
    if (this.batched > 0) this.encodeBatch();
    const waits: Promise<unknown>[] = [];
    if (this.jsonStream !== null && !this.hand(this.json, this.jsonStream)) waits.push(once(this.jsonStream, 'drain'));
    if (this.csvStream !== null && !this.hand(this.csv, this.csvStream)) waits.push(once(this.csvStream, 'drain'));
    await Promise.all(waits).catch(() => undefined);
    this.check();
  }

  /** After a failure: releases the open files without waiting for them. */
  destroy(): void {
    this.jsonStream?.destroy();
    this.csvStream?.destroy();
    this.jsonStream = null;
    this.csvStream = null;
  }

  async close(): Promise<void> {
    await this.flush();
    for (const stream of [this.jsonStream, this.csvStream]) {
      if (stream === null) continue;
      stream.end();
      await finished(stream).catch(() => undefined);
      this.bytes += stream.bytesWritten;
    }
    this.jsonStream = null;
    this.csvStream = null;
    this.check();
  }
}
