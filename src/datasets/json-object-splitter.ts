export type JsonPiece =
  | { kind: 'object'; line: number; bytes: Buffer; repairs: string[] }
  | { kind: 'bad'; line: number; reason: string; raw: string };

export interface SplitOptions {
  /**
   * JSON strings cannot hold a raw line break, so one inside a string means the object was cut (a truncated line of
   * a JSON-lines file): end it there as a bad piece and carry on with the next line, instead of reading on until
   * the quotes and braces happen to balance and losing the records in between. Off by default.
   */
  lineBreakEndsString?: boolean;
}

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const lossy = new TextDecoder('utf-8');

/**
 * Splits a byte stream holding concatenated top-level JSON objects (pretty-printed or not) into the bytes of each
 * object, a chunk at a time: push() returns the pieces a chunk completes, end() what is left. It scans bytes, not
 * characters: the structural characters are ASCII and never occur inside a UTF-8 multi-byte sequence, so decoding
 * can wait until an object is complete. Inside strings (most of the bytes) it jumps from one quote, backslash or
 * line break to the next with native searches instead of looking at every byte. Text outside objects, unbalanced
 * braces, a truncated last object and objects larger than `maxObjectBytes` are 'bad' pieces at the line they start on.
 */
export class JsonObjectSplitter {
  private readonly maxObjectBytes: number;
  private readonly lineBreakEndsString: boolean;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private startLine = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private tooBig = false;
  private stray: number[] = [];
  private strayLine = 0;
  private first = true;
  private bom = false;

  constructor(maxObjectBytes = 4 * 1024 * 1024, options: SplitOptions = {}) {
    this.maxObjectBytes = maxObjectBytes;
    this.lineBreakEndsString = options.lineBreakEndsString ?? false;
  }

  /** Between objects, with no stray text held: what has been pushed so far is fully accounted for. */
  get idle(): boolean {
    return this.depth === 0 && this.stray.length === 0;
  }

  /** The line the next byte pushed is on. */
  get nextLine(): number {
    return this.line;
  }

  /**
   * For a caller that handled lines itself (copy/csv-records.ts): carry on at `line`, past the start of the stream.
   * Only while idle.
   */
  resumeAt(line: number): void {
    if (!this.idle) throw new Error('JsonObjectSplitter.resumeAt inside an object or stray text');
    this.line = line;
    this.first = false;
  }

  push(chunk: Buffer): JsonPiece[] {
    const out: JsonPiece[] = [];
    const n = chunk.length;
    let objectStart = this.depth > 0 ? 0 : -1;
    let i0 = 0;
    if (this.first && n > 0) {
      this.first = false;
      // A byte-order mark before the first object is stripped and reported as a repair.
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.bom = true;
        i0 = 3;
      }
    }
    // Next quote, backslash and line break at or after the scan position (n: none in this chunk).
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    for (let i = i0; i < n; i++) {
      let b = chunk[i] as number;
      if (this.inString && !this.escaped && b !== QUOTE && b !== BACKSLASH && b !== NEWLINE) {
        if (nextQuote < i) nextQuote = found(chunk.indexOf(QUOTE, i), n);
        if (nextBackslash < i) nextBackslash = found(chunk.indexOf(BACKSLASH, i), n);
        if (nextNewline < i) nextNewline = found(chunk.indexOf(NEWLINE, i), n);
        i = Math.min(nextQuote, nextBackslash, nextNewline);
        if (i >= n) break;
        b = chunk[i] as number;
      }
      if (b === NEWLINE) this.line++;
      if (this.depth === 0) {
        if (b === OPEN) {
          const s = this.flushStray();
          if (s) out.push(s);
          this.depth = 1;
          this.startLine = this.line;
          objectStart = i;
          this.inString = false;
          this.escaped = false;
        } else if (this.stray.length > 0 || (b !== 0x20 && b !== NEWLINE && b !== 0x0d && b !== 0x09)) {
          // Whitespace is skipped only before stray text: inside it, it is part of the raw text quarantined.
          if (this.stray.length === 0) this.strayLine = this.line;
          if (this.stray.length < 2048) this.stray.push(b);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        else if (b === NEWLINE && this.lineBreakEndsString) {
          const head = Buffer.concat([...this.parts, chunk.subarray(objectStart, i)]).subarray(0, 2048);
          out.push({ kind: 'bad', line: this.startLine, reason: 'unterminated string (line break inside a JSON string)', raw: lossy.decode(head).trimEnd() });
          this.resetObject();
          objectStart = -1;
        }
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN) this.depth++;
      else if (b === CLOSE && --this.depth === 0) {
        const piece = chunk.subarray(objectStart, i + 1);
        if (!this.tooBig && this.size + piece.length <= this.maxObjectBytes) {
          this.parts.push(piece);
          out.push({ kind: 'object', line: this.startLine, bytes: this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts), repairs: this.bom ? ['BOM'] : [] });
          this.bom = false;
        } else {
          out.push({ kind: 'bad', line: this.startLine, reason: `JSON object larger than ${this.maxObjectBytes} bytes`, raw: lossy.decode(this.parts[0]?.subarray(0, 2048) ?? piece.subarray(0, 2048)) });
        }
        this.resetObject();
        objectStart = -1;
      }
    }
    if (this.depth > 0 && objectStart >= 0) {
      const piece = chunk.subarray(objectStart);
      if (!this.tooBig && this.size + piece.length <= this.maxObjectBytes) {
        this.parts.push(Buffer.from(piece));
        this.size += piece.length;
      } else if (!this.tooBig) {
        this.tooBig = true;
        if (this.parts.length === 0) this.parts.push(Buffer.from(piece.subarray(0, 2048)));
      }
    }
    return out;
  }

  /** What is left at the end of the stream: stray text, and a truncated object. */
  end(): JsonPiece[] {
    const out: JsonPiece[] = [];
    const s = this.flushStray();
    if (s) out.push(s);
    if (this.depth > 0) {
      out.push({ kind: 'bad', line: this.startLine, reason: 'truncated JSON object (end of file inside the object)', raw: lossy.decode(Buffer.concat(this.parts).subarray(0, 2048)) });
      this.resetObject();
    }
    return out;
  }

  private resetObject(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    this.size = 0;
    this.tooBig = false;
  }

  private flushStray(): JsonPiece | undefined {
    if (this.stray.length === 0) return undefined;
    const text = lossy.decode(Uint8Array.from(this.stray)).trim();
    this.stray = [];
    return text === '' ? undefined : { kind: 'bad', line: this.strayLine, reason: 'text outside a JSON object', raw: text };
  }
}

const found = (index: number, n: number) => (index === -1 ? n : index);
