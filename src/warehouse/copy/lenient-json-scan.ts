/**
 * What DuckDB's JSON reader accepts that JSON (and so this COPY's own reader, JSON.parse) does not: a comma before a
 * closing bracket, NaN and Infinity literals (any case, any sign), and a line that is just `null` (a record of NULLs
 * for DuckDB, not an object for COPY). Everything else that is not JSON, DuckDB refuses too. The scan looks for these
 * outside strings, over a stream of chunks, and names the first one it meets: before the rows DuckDB read are
 * kept, the bytes must not hold one. A top-level value that is not an object is named too (DuckDB refuses those, and
 * saying so is cheaper than finding out). A chunk may end anywhere, inside a string or an escape too.
 */
export class LenientJsonScan {
  private inString = false;
  private escape = false;
  private depth = 0;
  /** The last byte outside strings that was not whitespace (a closing quote counts as QUOTE). */
  private last = 0;
  /** An `n` outside strings was the chunk's last byte: the next must be the `u` of null. */
  private pendingN = false;
  private line = 1;
  private first = true;
  /** The first problem met, as "line N: what". */
  problem: string | undefined;

  /** Feeds the next bytes; returns false once a problem is known (the rest need not be fed). */
  feed(b: Uint8Array): boolean {
    if (this.problem !== undefined) return false;
    let i = 0;
    const n = b.length;
    if (this.first && n > 0) {
      this.first = false;
      if (b[0] === 0x1f && n > 1 && b[1] === 0x8b) return this.fail('gzip-compressed');
    }
    if (this.pendingN && n > 0) {
      this.pendingN = false;
      if (b[0] !== LOWER_U) return this.fail('a NaN literal');
    }
    let { inString, escape, depth, last, line } = this;
    while (i < n) {
      const x = b[i] as number;
      if (inString) {
        if (escape) escape = false;
        else if (x === BACKSLASH) escape = true;
        else if (x === QUOTE) {
          inString = false;
          last = QUOTE;
        } else if (x === NEWLINE) line++;
        i++;
        continue;
      }
      i++;
      switch (x) {
        case SPACE: case TAB: case CR:
          continue;
        case NEWLINE:
          line++;
          continue;
        case QUOTE:
          if (depth === 0) return this.failAt(line, 'a top-level string, not an object');
          inString = true;
          continue;
        case LBRACE: case LBRACKET:
          if (depth === 0 && x === LBRACKET) return this.failAt(line, 'a top-level array, not an object');
          depth++;
          last = x;
          continue;
        case RBRACE: case RBRACKET:
          if (last === COMMA) return this.failAt(line, 'a comma before a closing bracket');
          depth--;
          if (depth < 0) return this.failAt(line, 'an unmatched closing bracket');
          last = x;
          continue;
        case UPPER_N: case UPPER_I: case LOWER_I:
          return this.failAt(line, 'a NaN or Infinity literal');
        case LOWER_N:
          if (depth === 0) return this.failAt(line, 'a top-level null, not an object');
          if (i === n) this.pendingN = true;
          else if (b[i] !== LOWER_U) return this.failAt(line, 'a NaN literal');
          last = x;
          continue;
        default:
          if (depth === 0) return this.failAt(line, 'a top-level value that is not an object');
          last = x;
      }
    }
    this.inString = inString;
    this.escape = escape;
    this.depth = depth;
    this.last = last;
    this.line = line;
    return true;
  }

  /** After the last chunk: the first problem, or undefined. */
  end(): string | undefined {
    if (this.problem === undefined && this.pendingN) this.fail('a NaN literal');
    return this.problem;
  }

  private failAt(line: number, what: string): false {
    this.line = line;
    return this.fail(what);
  }

  private fail(what: string): false {
    this.problem = `line ${this.line}: ${what}`;
    return false;
  }
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const UPPER_I = 0x49;
const UPPER_N = 0x4e;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_I = 0x69;
const LOWER_N = 0x6e;
const LOWER_U = 0x75;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
