import { unreadableInput } from '../core/errors.ts';
import { open } from 'node:fs/promises';
import { fileChunks } from '../core/read-small-file.ts';

export interface TextLine {
  kind: 'line';
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** Repairs made to get `text` ('BOM', 'CRLF'); empty when the line was clean. */
  repairs: string[];
}

export interface BadLine {
  kind: 'bad';
  line: number;
  reason: string;
  raw: string;
}

/**
 * Complete lines still as bytes (only with `raw: true`): `bytes[start, end)`, `end` at a newline, the first of them line
 * `line`. They may be blank, CRLF-terminated or invalid UTF-8: `decodeLine` each one that is not taken as bytes. The
 * bytes are valid only until the next batch is asked for.
 */
export interface RawLines {
  kind: 'raw';
  line: number;
  bytes: Buffer;
  start: number;
  end: number;
}

export interface LineOptions {
  /** Lines longer than this many bytes are reported, not buffered (bounded memory). */
  maxLineBytes?: number;
  chunkBytes?: number;
}

const NEWLINE = 0x0a;
/** How much of an overlong line its BadLine keeps. */
const headBytes = 2048;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8');
/** Shared by every clean line (most of them): one allocation less per line. Frozen, so nobody can add to it. */
const noRepairs: string[] = Object.freeze([]) as unknown as string[];

/**
 * Streams a file as lines, with line numbers, in bounded memory. Blank lines are skipped; a missing final
 * newline is fine (the course's log files have none). A BOM on line 1 and CR before LF are stripped and
 * reported as repairs. A line that is not valid UTF-8 or longer than `maxLineBytes` comes back as a BadLine.
 */
export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<TextLine | BadLine> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}

/**
 * The lines of readLines, a batch per chunk read from the file: hot loops handle a batch synchronously instead of
 * paying an asynchronous step per line.
 */
export function readLineBatches(path: string, options?: LineOptions & { raw?: false }): AsyncGenerator<(TextLine | BadLine)[]>;
/**
 * With `raw: true`, the complete lines after the first of each chunk come undecoded, as RawLines ranges, for a reader
 * that parses bytes; the rest (line 1, lines carried over between chunks, overlong lines) as above.
 */
export function readLineBatches(path: string, options: LineOptions & { raw: true }): AsyncGenerator<(TextLine | BadLine | RawLines)[]>;
export async function* readLineBatches(path: string, options: LineOptions & { raw?: boolean } = {}): AsyncGenerator<(TextLine | BadLine | RawLines)[]> {
  const maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
  // A file that fits in one chunk (a day of the course's logs is ~110 kB) in one synchronous read.
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const raw = options.raw === true;
  // Raw lines are only valid until the next batch: the chunks can then be read into one buffer, used again and again.
  // (Fresh chunks are external memory that only a collection frees, and a reader making little garbage collects
  // rarely, so dead ones would pile up: docs/decisions/2026-12-01-star-worker-memory-bounds.md.)
  const stream = raw ? reusedChunks(path, chunkBytes) : fileChunks(path, chunkBytes, chunkBytes);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let overflowHead = Buffer.alloc(0);
  let lineNo = 0;
  let batch: (TextLine | BadLine | RawLines)[] = [];

  function finish(bytes: Buffer): void {
    lineNo++;
    if (overflow) {
      batch.push({ kind: 'bad', line: lineNo, reason: `line longer than ${maxLineBytes} bytes`, raw: lossy.decode(overflowHead) });
      overflow = false;
      return;
    }
    decodeLine(bytes, lineNo, batch);
  }

  try {
    for await (const chunk of stream) {
      let start = 0;
      // Until a bulk decode fails in this chunk: retrying after every line would decode the rest again and again.
      let bulk = true;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        const end = nl === -1 ? chunk.length : nl;
        if (overflow) {
          // The head of an overlong line is its first 2048 bytes, however the chunks fell.
          if (overflowHead.length < headBytes) overflowHead = Buffer.concat([overflowHead, chunk.subarray(start, Math.min(end, start + headBytes - overflowHead.length))]);
        } else {
          if (pendingBytes + (end - start) > maxLineBytes) {
            overflow = true;
            // Copied: a view would keep the whole pending line alive.
            overflowHead = Buffer.concat([...pending, chunk.subarray(start, Math.min(end, start + headBytes))], Math.min(headBytes, pendingBytes + (end - start)));
            pending = [];
            pendingBytes = 0;
          } else if (end > start) {
            // A copy when the buffer is used again: the line may go on in the next read.
            pending.push(raw ? Buffer.from(chunk.subarray(start, end)) : chunk.subarray(start, end));
            pendingBytes += end - start;
          }
        }
        if (nl === -1) break;
        const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        finish(bytes);
        start = nl + 1;
        // The complete lines after the first of a chunk are decoded together: one decode and one split instead of
        // a buffer view and a decode per line. Line 1 (the BOM) and carried-over lines never get here, and no line
        // of the range can be over the limit when the whole range is not.
        const last = bulk ? chunk.lastIndexOf(NEWLINE) : -1;
        if (last > start && last - start <= maxLineBytes) {
          if (raw) {
            batch.push({ kind: 'raw', line: lineNo + 1, bytes: chunk, start, end: last });
            lineNo += countNewlines(chunk, start, last) + 1;
            start = last + 1;
            continue;
          }
          bulk = decodeLines(chunk, start, last, lineNo, batch as (TextLine | BadLine)[]);
          if (bulk) {
            lineNo += countNewlines(chunk, start, last) + 1;
            start = last + 1;
          }
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
  } catch (cause) {
    throw unreadableInput(path, cause);
  }
  if (pendingBytes > 0 || overflow) finish(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending));
  if (batch.length > 0) yield batch;
}

/**
 * A file's bytes read into two buffers of `chunkBytes` in turn, used again and again: each chunk is valid until the
 * next is asked for, and the read of the next runs while the caller works on this one.
 */
async function* reusedChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)] as const;
  let turn = 0;
  const readInto = (buffer: Buffer) => handle.read(buffer, 0, chunkBytes, null).then((r) => r.bytesRead);
  let next: Promise<number> | undefined = readInto(buffers[0]);
  try {
    for (;;) {
      const bytesRead = await next;
      next = undefined;
      if (bytesRead === 0) return;
      const current = buffers[turn] as Buffer;
      turn = 1 - turn;
      // Reads follow each other (position null: the file's own), so the next starts only after this one ended.
      next = readInto(buffers[turn] as Buffer);
      next.catch(() => undefined);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    await next?.catch(() => undefined);
    await handle.close();
  }
}

/**
 * Decodes the lines in bytes [start, end) (end at a newline) at once. Returns false, adding nothing, when the range
 * is not valid UTF-8: the caller then takes its lines one by one to report exactly which are bad. The result is the
 * same as decoding line by line, since a newline byte never occurs inside a UTF-8 sequence.
 */
function decodeLines(chunk: Buffer, start: number, end: number, lineBefore: number, out: (TextLine | BadLine)[]): boolean {
  let text: string;
  try {
    text = decoder.decode(chunk.subarray(start, end));
  } catch {
    return false;
  }
  let line = lineBefore;
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const to = nl === -1 ? text.length : nl;
    line++;
    if (to > from) {
      if (text.charCodeAt(to - 1) === CR) {
        if (!isBlankText(text, from, to - 1)) out.push({ kind: 'line', line, text: text.slice(from, to - 1), repairs: ['CRLF'] });
      } else if (!isBlankText(text, from, to)) {
        out.push({ kind: 'line', line, text: text.slice(from, to), repairs: noRepairs });
      }
    }
    if (nl === -1) return true;
    from = nl + 1;
  }
}

function countNewlines(chunk: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE, start); i !== -1 && i < end; i = chunk.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * One line's bytes (without its newline) as a TextLine or BadLine appended to `out`, or nothing when it is blank:
 * a BOM is stripped from line 1 only, a final CR from any line.
 */
export function decodeLine(bytes: Buffer, line: number, out: { push(item: TextLine | BadLine): unknown }): void {
  let repairs = noRepairs;
  let start = 0;
  let end = bytes.length;
  if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
    repairs = ['BOM'];
  }
  if (end > start && bytes[end - 1] === CR) {
    end--;
    repairs = repairs === noRepairs ? ['CRLF'] : [...repairs, 'CRLF'];
  }
  if (isBlank(bytes, start, end)) return;
  const slice = bytes.subarray(start, end);
  let text: string;
  try {
    text = decoder.decode(slice);
  } catch {
    out.push({ kind: 'bad', line, reason: `invalid UTF-8 at byte ${firstInvalidUtf8(slice)} of the line`, raw: lossy.decode(slice) });
    return;
  }
  out.push({ kind: 'line', line, text, repairs });
}

function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}

/** isBlank for decoded text: the same three characters (all ASCII, so byte and character tests agree). */
function isBlankText(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}
/** Byte offset of the first invalid UTF-8 sequence, for the quarantine message. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The shortest invalid prefix, found by bisection over fatal decodes of prefixes (rare path: bad lines only).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isValidPrefix(bytes.subarray(0, mid + 1))) lo = mid + 1;
    else hi = mid;
  }
  // `lo` is where the decoder gave up. When the valid prefix ends inside a sequence (a Latin-1 "é" followed by
  // a quote, a character cut at the end of the line), that sequence is the invalid one: point at its lead byte.
  if (!isComplete(bytes.subarray(0, lo))) {
    while (lo > 0 && ((bytes[lo - 1] as number) & 0xc0) === 0x80) lo--;
    lo--;
  }
  return lo;
}

function isComplete(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isValidPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
