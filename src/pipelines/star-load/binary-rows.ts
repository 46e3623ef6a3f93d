import type { CsvCells } from '../../core/csv-text.ts';

// PostgreSQL's binary COPY rows of the star load: every path (the reference and the byte paths) writes its plays and
// time rows with these, so the server receives the same bytes whichever path read the line.

const BACKSLASH = 0x5c;
const epoch2000 = 946_684_800_000;
const songplayColumnCount = 9;

/**
 * A growing byte buffer for COPY rows: `ensure` before writing a row (the writes themselves do not check). Starts in a
 * buffer the caller hands over (a worker reuses the buffers COPY has finished with) and moves to a bigger one when a
 * row does not fit.
 */
export class ByteOut {
  buffer: Uint8Array<ArrayBuffer>;
  length = 0;
  private readonly encoder = new TextEncoder();

  constructor(buffer: ArrayBuffer) {
    this.buffer = new Uint8Array(buffer);
  }

  ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = new Uint8Array(2 ** Math.ceil(Math.log2(this.length + bytes)));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(x: number): void {
    this.buffer[this.length++] = x;
  }

  bytes(b: Uint8Array, from: number, to: number): void {
    const buffer = this.buffer;
    let n = this.length;
    for (let i = from; i < to; i++) buffer[n++] = b[i] as number;
    this.length = n;
  }

  // PostgreSQL's binary COPY: a row is a 16-bit field count, then each field as a 32-bit length (-1: NULL) and its
  // bytes, all big-endian. Text is its UTF-8; int4 four bytes; timestamp eight, microseconds since 2000-01-01.

  int16(v: number): void {
    const buffer = this.buffer;
    buffer[this.length++] = (v >> 8) & 0xff;
    buffer[this.length++] = v & 0xff;
  }

  int32(v: number): void {
    const buffer = this.buffer;
    buffer[this.length++] = (v >>> 24) & 0xff;
    buffer[this.length++] = (v >>> 16) & 0xff;
    buffer[this.length++] = (v >>> 8) & 0xff;
    buffer[this.length++] = v & 0xff;
  }

  /** Room for a field's length, written by fieldEnd once its bytes are: returns where it stands. */
  fieldStart(): number {
    this.length += 4;
    return this.length - 4;
  }

  fieldEnd(at: number): void {
    const n = this.length - at - 4;
    const buffer = this.buffer;
    buffer[at] = (n >>> 24) & 0xff;
    buffer[at + 1] = (n >>> 16) & 0xff;
    buffer[at + 2] = (n >>> 8) & 0xff;
    buffer[at + 3] = n & 0xff;
  }

  nullField(): void {
    this.int32(-1);
  }

  int4Field(v: number): void {
    this.int32(4);
    this.int32(v);
  }

  /** A text field (UTF-8, growing the buffer first if it could need to; a lone surrogate becomes U+FFFD). */
  textField(text: string | null): void {
    if (text === null) {
      this.ensure(4);
      this.nullField();
      return;
    }
    this.ensure(text.length * 3 + 4);
    const at = this.fieldStart();
    this.length += this.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
    this.fieldEnd(at);
  }

  /**
   * A timestamp field from epoch milliseconds: microseconds since 2000-01-01 as a 64-bit two's complement integer,
   * computed in 16-bit limbs (the product needs up to 58 bits; doubles are exact to 53).
   */
  timestampField(ts: number): void {
    this.int32(8);
    const ms = ts - epoch2000;
    const a = Math.floor(ms / 65536);
    const big = a * 1000; // exact: |a| < 2^33
    const small = (ms - a * 65536) * 1000; // < 2^26
    const c = Math.floor(big / 65536);
    const low = (big - c * 65536) * 65536 + small; // < 2^33, exact
    const carry = Math.floor(low / 4294967296);
    this.int32(c + carry);
    this.int32(low - carry * 4294967296);
  }

  /** A string's bytes with its escapes \" \\ \/ undone (for binary COPY: nothing doubled). */
  unescapedRaw(b: Uint8Array, from: number, to: number): void {
    const buffer = this.buffer;
    let n = this.length;
    for (let i = from; i < to; i++) {
      let x = b[i] as number;
      if (x === BACKSLASH) x = b[++i] as number;
      buffer[n++] = x;
    }
    this.length = n;
  }
}

/**
 * The reference encoding: playCells' cells of a play (songplayColumns' order) as a binary COPY row, its start_time
 * from the event's epoch milliseconds.
 */
export function binaryPlay(cells: CsvCells, ts: number, out: ByteOut): void {
  // The whole row's room at once: the field count, nine lengths, the timestamp and two int4s, and up to 3 bytes of
  // UTF-8 per UTF-16 unit of text. (A field's own ensure grows the buffer only as far as that field needs, which
  // leaves no room for the fixed-size fields after it.)
  let text = 0;
  for (const cell of cells) if (typeof cell === 'string') text += cell.length;
  out.ensure(2 + 9 * 4 + 8 + 4 + 4 + 3 * text);
  out.int16(songplayColumnCount);
  out.textField(cells[0] as string);
  out.timestampField(ts);
  out.int4Field(cells[2] as number);
  out.textField(cells[3] as string);
  out.textField(cells[4] as string | null);
  out.textField(cells[5] as string | null);
  out.int4Field(cells[6] as number);
  out.textField(cells[7] as string | null);
  out.textField(cells[8] as string | null);
}
