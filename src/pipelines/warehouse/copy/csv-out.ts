/**
 * COPY CSV cells written as bytes, for RecordBytes (record-bytes.ts): the output buffer, text copied as it is, JSON
 * strings unescaped and quoted, and timestamps, each the bytes csvLine would produce for the same cell.
 */
import { msPerDay, splitTimestamp } from '../../../core/time-of-day.ts';
import { putCodePoint } from '../../../core/utf8-bytes.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;

/** A growing byte buffer of COPY CSV rows, in an ArrayBuffer of its own (so it can be transferred to another thread). */
export class CsvOut {
  buffer: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(64, capacity));
  }

  ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.buffer.length, this.length + bytes));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  /** ASCII text (what numbers and timestamps print as). */
  ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let n = this.length;
    for (let i = 0; i < text.length; i++) buffer[n++] = text.charCodeAt(i);
    this.length = n;
  }

  /** Any text, as UTF-8 (the rows of the reference path). */
  text(text: string): void {
    this.ensure(3 * text.length);
    this.length += Buffer.from(this.buffer.buffer, 0, this.buffer.length).write(text, this.length, 'utf8');
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}

/** Bytes b[from, to) as they are (ASCII text checked by the caller). */
export function copyBytes(b: Uint8Array, from: number, to: number, out: CsvOut): void {
  const buffer = out.buffer;
  let n = out.length;
  if (to - from > 32) {
    buffer.set(b.subarray(from, to), n);
    out.length = n + to - from;
    return;
  }
  for (let i = from; i < to; i++) buffer[n++] = b[i] as number;
  out.length = n;
}

const parts = new Int32Array(4);
let cachedDay = Number.NaN;
const cachedDate = new Uint8Array(10);

/** timestampText's cell ('"YYYY-MM-DD HH:MM:SS.mmm"') written as bytes; the date is kept from the previous call. */
export function timestampCell(ms: number, out: CsvOut): void {
  const day = splitTimestamp(ms, parts);
  if (day !== cachedDay) {
    cachedDay = day;
    const date = new Date(day * msPerDay).toISOString();
    for (let i = 0; i < 10; i++) cachedDate[i] = date.charCodeAt(i);
  }
  out.ensure(26);
  const buffer = out.buffer;
  let n = out.length;
  buffer[n++] = QUOTE;
  for (let i = 0; i < 10; i++) buffer[n++] = cachedDate[i] as number;
  buffer[n++] = SPACE;
  const h = parts[0] as number;
  const m = parts[1] as number;
  const s = parts[2] as number;
  const f = parts[3] as number;
  buffer[n++] = ZERO + ((h / 10) | 0);
  buffer[n++] = ZERO + (h % 10);
  buffer[n++] = 0x3a;
  buffer[n++] = ZERO + ((m / 10) | 0);
  buffer[n++] = ZERO + (m % 10);
  buffer[n++] = 0x3a;
  buffer[n++] = ZERO + ((s / 10) | 0);
  buffer[n++] = ZERO + (s % 10);
  buffer[n++] = 0x2e;
  buffer[n++] = ZERO + ((f / 100) | 0);
  buffer[n++] = ZERO + (((f / 10) | 0) % 10);
  buffer[n++] = ZERO + (f % 10);
  buffer[n++] = QUOTE;
  out.length = n;
}

/**
 * A JSON string with escapes, as its quoted CSV cell (quotes doubled, code points as UTF-8). Declines NUL (copyCell
 * rejects it) and unpaired surrogates.
 */
export function jsonStringCell(b: Uint8Array, from: number, to: number, out: CsvOut): boolean {
  const mark = out.length;
  const buffer = out.buffer;
  let n = out.length;
  buffer[n++] = QUOTE;
  for (let i = from; i < to; i++) {
    const x = b[i] as number;
    if (x !== BACKSLASH) {
      buffer[n++] = x;
      continue;
    }
    const e = b[++i];
    let code: number;
    switch (e) {
      case QUOTE: code = QUOTE; break;
      case BACKSLASH: code = BACKSLASH; break;
      case 0x2f: code = 0x2f; break;
      case 0x62: code = 0x08; break;
      case 0x66: code = 0x0c; break;
      case 0x6e: code = 0x0a; break;
      case 0x72: code = 0x0d; break;
      case 0x74: code = 0x09; break;
      case 0x75: {
        code = hex4(b, i + 1, to);
        if (code < 0) return fail(out, mark);
        i += 4;
        if (code >= 0xd800 && code <= 0xdbff) {
          const low = b[i + 1] === BACKSLASH && b[i + 2] === 0x75 ? hex4(b, i + 3, to) : -1;
          if (low < 0xdc00 || low > 0xdfff) return fail(out, mark);
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        } else if (code >= 0xdc00 && code <= 0xdfff) {
          return fail(out, mark);
        }
        break;
      }
      default:
        return fail(out, mark);
    }
    if (code === 0) return fail(out, mark);
    if (code === QUOTE) {
      buffer[n++] = QUOTE;
      buffer[n++] = QUOTE;
    } else {
      n = putCodePoint(buffer, n, code);
    }
  }
  buffer[n++] = QUOTE;
  out.length = n;
  return true;
}

function fail(out: CsvOut, mark: number): boolean {
  out.length = mark;
  return false;
}

function hex4(b: Uint8Array, from: number, to: number): number {
  if (from + 4 > to) return -1;
  let v = 0;
  for (let i = from; i < from + 4; i++) {
    const x = b[i] as number;
    const d = x >= ZERO && x <= NINE ? x - ZERO : x >= 0x61 && x <= 0x66 ? x - 0x57 : x >= 0x41 && x <= 0x46 ? x - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}
