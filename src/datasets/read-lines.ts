import { createReadStream } from 'node:fs';
import { unreadableInput } from '../core/errors.ts';

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

export interface LineOptions {
  /** Lines longer than this many bytes are reported, not buffered (bounded memory). */
  maxLineBytes?: number;
  chunkBytes?: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8');

/**
 * Streams a file as lines, with line numbers, in bounded memory. Blank lines are skipped; a missing final
 * newline is fine (the course's log files have none). A BOM on line 1 and CR before LF are stripped and
 * reported as repairs. A line that is not valid UTF-8 or longer than `maxLineBytes` comes back as a BadLine.
 */
export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<TextLine | BadLine> {
  const maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let overflowHead = '';
  let lineNo = 0;

  function* finish(bytes: Buffer): Generator<TextLine | BadLine> {
    lineNo++;
    if (overflow) {
      yield { kind: 'bad', line: lineNo, reason: `line longer than ${maxLineBytes} bytes`, raw: overflowHead };
      overflow = false;
      return;
    }
    yield* decodeLine(bytes, lineNo);
  }

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        const end = nl === -1 ? chunk.length : nl;
        if (!overflow) {
          if (pendingBytes + (end - start) > maxLineBytes) {
            overflow = true;
            overflowHead = lossy.decode(Buffer.concat([...pending, chunk.subarray(start, Math.min(end, start + 2048))]).subarray(0, 2048));
            pending = [];
            pendingBytes = 0;
          } else if (end > start) {
            pending.push(chunk.subarray(start, end));
            pendingBytes += end - start;
          }
        }
        if (nl === -1) break;
        const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        yield* finish(bytes);
        start = nl + 1;
      }
    }
  } catch (cause) {
    throw unreadableInput(path, cause);
  }
  if (pendingBytes > 0 || overflow) yield* finish(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending));
}

function* decodeLine(bytes: Buffer, line: number): Generator<TextLine | BadLine> {
  const repairs: string[] = [];
  let start = 0;
  let end = bytes.length;
  if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
    repairs.push('BOM');
  }
  if (end > start && bytes[end - 1] === CR) {
    end--;
    repairs.push('CRLF');
  }
  if (isBlank(bytes, start, end)) return;
  const slice = bytes.subarray(start, end);
  let text: string;
  try {
    text = decoder.decode(slice);
  } catch {
    yield { kind: 'bad', line, reason: `invalid UTF-8 at byte ${firstInvalidUtf8(slice)} of the line`, raw: lossy.decode(slice) };
    return;
  }
  yield { kind: 'line', line, text, repairs };
}

function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
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
