import { decimalValue, latin1Text } from '../decimal-bytes.ts';
import { putCodePoint } from '../../core/utf8-bytes.ts';
import type { FieldType } from '../../datasets/field-spec.ts';
import { logEventFields } from '../../datasets/schemas.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import type { LatestUsers, UserText } from '../../pipelines/star-load/latest-users.ts';
import { ByteOut } from '../../pipelines/star-load/binary-rows.ts';
import type { SongCatalog } from '../../pipelines/star-load/song-catalog.ts';
import { recordInt32s, RunReason, RunState, textHash, WasmPlayRows, type CatalogEntry } from './play-rows-wasm.ts';
import { latestTs } from '../../pipelines/star-load/staging-rules.ts';

/** Where each loaded play's timestamp goes: a TimeRows (time-rows.ts); an interface, so the fast path does not import it. */
export interface PlayTimes {
  add(ts: number): void;
}

/**
 * The common case of a log line, read straight from its UTF-8 bytes into a songplay row for binary COPY: no
 * JSON.parse, no event object, no string. It takes only lines whose outcome it can tell for certain, and gives exactly
 * what the reference path (JSON.parse, validateObject, playCells, binaryPlay) gives for them:
 * - one object, no whitespace, exactly the 18 log fields, each once, in any order;
 * - strings of printable ASCII, with the escapes \" \\ \/ and \uXXXX (text with \u is decoded by JSON.parse where it
 *   is written or kept, into bytes where it is looked up; \u0000 is left to the reference path, which quarantines it,
 *   and so is a lone surrogate, which it stores as U+FFFD and counts as a repair);
 * - numbers without a sign or an exponent, within their field's type (int32, a safe integer, a finite number), null
 *   only where the field allows it, never a number for a text field (the reference coerces and counts a repair);
 * - a NextSong play that loads (a userId of 1 to 9 digits, a song, an artist, a ts up to the year 9999) or another
 *   page (filtered).
 * Everything else (a quarantine, a repair, other JSON) returns false having counted nothing: the caller decodes the
 * line and runs the reference path on it. `test/star/play-bytes.test.ts` holds the two to the same output.
 */
export class PlayBytes {
  // Where scan noted each value and what it is (on WebAssembly, views of the module's memory: see line).
  private start: Int32Array = new Int32Array(fieldCount);
  private end: Int32Array = new Int32Array(fieldCount);
  private kind: Uint8Array = new Uint8Array(fieldCount);
  private readonly songs: ByteCatalog;
  private readonly users: LatestUsers;
  private readonly counts: SourceCounts;
  private readonly fileIndex: () => number;
  private readonly times: PlayTimes | undefined;
  /** The same on WebAssembly, when it is built (and not declined by `scan: 'js'`). */
  private readonly wasm: WasmPlayRows | undefined;
  /** How many lines the last `lines` went past (empty ones too). */
  linesTaken = 0;

  /** `times`, when given, gets each loaded play's timestamp. */
  constructor(catalog: SongCatalog, users: LatestUsers, counts: SourceCounts, fileIndex: () => number = () => 0, times?: PlayTimes, scan: 'wasm' | 'js' = 'wasm') {
    this.songs = new ByteCatalog(catalog);
    this.wasm = scan === 'wasm' ? WasmPlayRows.create(logEventFields, this.songs.entries, latestTs) : undefined;
    this.users = users;
    this.counts = counts;
    this.fileIndex = fileIndex;
    this.times = times;
  }

  /**
   * Lets the next lines' scans, of b[from, to), copy their bytes to the WebAssembly scan once rather than a line at a
   * time. Optional: a line outside it is staged alone. The bytes are copied now: if b's bytes change, stage again.
   */
  stage(b: Buffer, from: number, to: number): void {
    this.wasm?.stage(b, from, to);
  }

  /**
   * Handles the lines of `b[s, end)` in order, as `line` would, up to the first it declines: returns where that line
   * starts (`end` when it took them all), and in `linesTaken` how many lines (empty ones too) it went past. On
   * WebAssembly only, where the whole of a line's common case runs in the module: without it, it takes none.
   */
  lines(b: Buffer, s: number, end: number, out: ByteOut): number {
    this.linesTaken = 0;
    const wasm = this.wasm;
    if (wasm === undefined) return s;
    for (let at = s; ;) {
      const stop = wasm.run(b, at, end);
      this.taken(wasm, b, out);
      if (wasm.state[RunState.reason] !== RunReason.full) return stop;
      at = stop;
    }
  }

  /** What a run of the module left: its rows into `out`; its plays' users, times and counts. */
  private taken(wasm: WasmPlayRows, b: Buffer, out: ByteOut): void {
    const state = wasm.state;
    const plays = state[RunState.records] as number;
    const filtered = state[RunState.filtered] as number;
    this.linesTaken += state[RunState.lines] as number;
    this.counts.read += plays + filtered;
    this.counts.loaded += plays;
    this.counts.filtered += filtered;
    if (plays === 0) return;
    const rows = wasm.output();
    out.ensure(rows.length);
    out.buffer.set(rows, out.length);
    out.length += rows.length;
    const { records, recordTimes, recordKinds } = wasm;
    const fileIndex = this.fileIndex();
    for (let p = 0; p < plays; p++) {
      const r = p * recordInt32s;
      const ts = recordTimes[r / 2 + 2] as number;
      this.times?.add(ts);
      const slot = this.users.claim(records[r] as number, ts, records[r + 1] as number, records[r + 2] as number, fileIndex);
      if (slot === -1) continue;
      for (let which = 0; which < 4; which++) {
        this.userText(b, slot, which as UserText, records[r + 6 + 2 * which] as number, records[r + 7 + 2 * which] as number, recordKinds[4 * r + 56 + which] as number);
      }
    }
  }

  /** Handles line `b[s, e)` (no newline) and returns true, or returns false having changed nothing. */
  line(b: Buffer, s: number, e: number, out: ByteOut): boolean {
    const wasm = this.wasm;
    if (wasm === undefined) {
      if (!this.scan(b, s, e)) return false;
    } else {
      if (this.lines(b, s, e, out) === e) return true;
      // Declined by the module (a length it cannot read exactly, say): its scan and the JavaScript below may take it.
      if (!wasm.scan(b, s, e)) return false;
      ({ start: this.start, end: this.end, kind: this.kind } = wasm);
    }
    const kind = this.kind;
    const sessionId = this.integer(b, SESSION_ID);
    const item = this.integer(b, ITEM_IN_SESSION);
    if (sessionId > maxInt32 || item > maxInt32) return false;
    // A page with escapes might spell NextSong: the reference path decodes it.
    if (kind[PAGE] !== PLAIN) return false;
    if (!this.equals(b, PAGE, nextSong)) {
      this.counts.read++;
      this.counts.filtered++;
      return true;
    }
    if (kind[USER_ID] !== PLAIN || !this.isUserId(b) || kind[SONG] === NULL || kind[ARTIST] === NULL) return false;
    const ts = this.integer(b, TS);
    if (ts > latestTs) return false;
    this.counts.read++;
    this.counts.loaded++;
    this.times?.add(ts);
    const userId = this.integer(b, USER_ID);
    const slot = this.users.claim(userId, ts, sessionId, item, this.fileIndex());
    if (slot !== -1) {
      const { start, end } = this;
      this.userText(b, slot, 0, start[FIRST_NAME] as number, end[FIRST_NAME] as number, kind[FIRST_NAME] as number);
      this.userText(b, slot, 1, start[LAST_NAME] as number, end[LAST_NAME] as number, kind[LAST_NAME] as number);
      this.userText(b, slot, 2, start[GENDER] as number, end[GENDER] as number, kind[GENDER] as number);
      this.userText(b, slot, 3, start[LEVEL] as number, end[LEVEL] as number, kind[LEVEL] as number);
    }
    const song = this.match(b);

    // songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent, as a binary COPY
    // row. Never longer than the line plus the ids: the line's keys alone (over 100 bytes) outweigh the fields'
    // lengths, the digits written twice and the timestamp's eight bytes, and an escape never writes more than it has.
    out.ensure(e - s + 64 + (song === undefined ? 0 : song.length));
    out.int16(songplayColumnCount);
    const id = out.fieldStart();
    this.copy(b, SESSION_ID, out);
    out.byte(COLON);
    this.copy(b, ITEM_IN_SESSION, out);
    out.byte(COLON);
    this.copy(b, USER_ID, out);
    out.fieldEnd(id);
    out.timestampField(ts);
    out.int4Field(userId);
    this.field(b, LEVEL, out);
    if (song === undefined) {
      out.nullField();
      out.nullField();
    } else {
      out.bytes(song, 0, song.length);
    }
    out.int4Field(sessionId);
    this.field(b, LOCATION, out);
    this.field(b, USER_AGENT, out);
    return true;
  }

  /** Checks the line's shape and each value's type, and notes where every value lies. */
  private scan(b: Buffer, s: number, e: number): boolean {
    const { start, end, kind } = this;
    let i = s;
    if (e - s < 2 || b[i] !== LBRACE) return false;
    i++;
    let seen = 0;
    let guess = 0;
    for (;;) {
      if (b[i] !== QUOTE) return false;
      i++;
      // Keys usually come in the schema's order: try the next one first.
      let k = guess < fieldCount && startsWith(b, i, e, fieldBytes[guess] as Uint8Array) ? guess : -1;
      if (k !== -1) {
        i += (fieldBytes[k] as Uint8Array).length;
      } else {
        const keyStart = i;
        while (i < e && b[i] !== QUOTE) {
          if (b[i] === BACKSLASH) return false;
          i++;
        }
        k = fieldAt(b, keyStart, i);
        if (k === -1) return false;
      }
      if (b[i] !== QUOTE || (seen & (1 << k)) !== 0) return false;
      seen |= 1 << k;
      guess = k + 1;
      i++;
      if (b[i] !== COLON) return false;
      i++;
      const c = b[i] as number;
      if (c === QUOTE) {
        if (fieldTypes[k] !== 'string') return false;
        i++;
        const from = i;
        let escapes: number = PLAIN;
        for (;;) {
          if (i >= e) return false;
          const x = b[i] as number;
          if (x === QUOTE) break;
          if (x === BACKSLASH) {
            const y = b[i + 1];
            if (y === QUOTE || y === BACKSLASH || y === SLASH) {
              if (escapes === PLAIN) escapes = SIMPLE;
              i += 2;
              continue;
            }
            if (y !== LOWER_U || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) return false;
            // \u0000: the reference path quarantines text holding a NUL.
            if (b[i + 2] === ZERO && b[i + 3] === ZERO && b[i + 4] === ZERO && b[i + 5] === ZERO) return false;
            escapes = UNICODE;
            const unit = hex4(b, i + 2);
            if (unit >= 0xd800 && unit <= 0xdfff) {
              // Only a whole pair: a lone surrogate is a repair (U+FFFD), which the reference path counts.
              if (unit > 0xdbff || b[i + 6] !== BACKSLASH || b[i + 7] !== LOWER_U || !isHex(b[i + 8]) || !isHex(b[i + 9]) || !isHex(b[i + 10]) || !isHex(b[i + 11])) return false;
              const low = hex4(b, i + 8);
              if (low < 0xdc00 || low > 0xdfff) return false;
              i += 12;
              continue;
            }
            i += 6;
            continue;
          }
          if (x < 0x20 || x > 0x7e) return false;
          i++;
        }
        start[k] = from;
        end[k] = i;
        kind[k] = escapes;
        i++;
      } else if (c === LOWER_N) {
        if (!fieldNullable[k] || b[i + 1] !== LOWER_U || b[i + 2] !== LOWER_L || b[i + 3] !== LOWER_L) return false;
        kind[k] = NULL;
        i += 4;
      } else if (c >= ZERO && c <= NINE) {
        const type = fieldTypes[k];
        if (type === 'string') return false;
        const from = i;
        i++;
        // JSON allows no leading zero: 0 is a whole integer part.
        if (c !== ZERO) while (i < e && isDigit(b[i])) i++;
        const digits = i - from;
        let fraction = false;
        if (b[i] === DOT) {
          i++;
          const fractionStart = i;
          while (i < e && isDigit(b[i])) i++;
          if (i === fractionStart) return false;
          fraction = true;
        }
        if (b[i] === LOWER_E || b[i] === UPPER_E) return false;
        // int32: ten digits at most, the value checked by the caller; a safe integer: fifteen; finite: 300 digits.
        if (type === 'number' ? digits > 300 : fraction || digits > (type === 'int32' ? 10 : 15)) return false;
        start[k] = from;
        end[k] = i;
        kind[k] = NUMBER;
      } else {
        return false;
      }
      const d = b[i];
      i++;
      if (d === COMMA) continue;
      return d === RBRACE && i === e && seen === allFields;
    }
  }

  /**
   * A user's text as the play has it (the value b[from, to) of that kind), kept when the slot already holds the same
   * (no string made then).
   */
  private userText(b: Buffer, slot: number, which: UserText, from: number, to: number, kind: number): void {
    const held = this.users.textAt(slot, which);
    if (kind === NULL) {
      if (held !== null) this.users.setText(slot, which, null);
      return;
    }
    if (kind === PLAIN && held !== null && sameAscii(b, from, to, held)) return;
    this.users.setText(slot, which, textOf(b, from, to, kind));
  }

  /** The catalog's song for the play: title and artist as UTF-8 bytes, looked up by their bytes. */
  private match(b: Buffer): Uint8Array | undefined {
    const durations = this.songs.find(b, this.start[SONG] as number, this.end[SONG] as number, this.start[ARTIST] as number, this.end[ARTIST] as number);
    if (durations === undefined || this.kind[LENGTH] === NULL) return undefined;
    return durations.get(decimalValue(b, this.start[LENGTH] as number, this.end[LENGTH] as number));
  }

  /** A whole number field's value (digits only, at most fifteen: exact). */
  private integer(b: Buffer, k: number): number {
    let n = 0;
    for (let i = this.start[k] as number; i < (this.end[k] as number); i++) n = n * 10 + ((b[i] as number) - ZERO);
    return n;
  }

  private equals(b: Buffer, k: number, bytes: Uint8Array): boolean {
    const from = this.start[k] as number;
    return (this.end[k] as number) - from === bytes.length && startsWith(b, from, from + bytes.length, bytes);
  }

  /** userId as the reference rule reads it: /^[1-9]\d{0,8}$/. */
  private isUserId(b: Buffer): boolean {
    const from = this.start[USER_ID] as number;
    const to = this.end[USER_ID] as number;
    if (to - from < 1 || to - from > 9 || b[from] === ZERO) return false;
    for (let i = from; i < to; i++) if (!isDigit(b[i])) return false;
    return true;
  }

  private text(b: Buffer, k: number): string {
    return textOf(b, this.start[k] as number, this.end[k] as number, this.kind[k] as number);
  }

  /** A number's digits (they print as JavaScript prints the number: no sign, no leading zero, no fraction). */
  private copy(b: Buffer, k: number, out: ByteOut): void {
    out.bytes(b, this.start[k] as number, this.end[k] as number);
  }

  /** A nullable text field of a binary COPY row: NULL, or the text's UTF-8 with its length. */
  private field(b: Buffer, k: number, out: ByteOut): void {
    const kind = this.kind[k];
    if (kind === NULL) return out.nullField();
    if (kind === UNICODE) return out.textField(this.text(b, k));
    const from = this.start[k] as number;
    const to = this.end[k] as number;
    const at = out.fieldStart();
    if (kind === PLAIN) out.bytes(b, from, to);
    else out.unescapedRaw(b, from, to);
    out.fieldEnd(at);
  }
}

/**
 * The catalog by the UTF-8 bytes of title and artist (a hash of both, then the bytes compared): a play's two strings
 * are decoded into bytes (see spelled) rather than into strings. Text is equal exactly when its UTF-8 is. Durations as
 * SongCatalog keys them (by value, a later row replacing an earlier one), so the same match. Each duration gives the
 * song's cells: song_id and artist_id as binary COPY text fields (length and UTF-8).
 */
class ByteCatalog {
  private readonly buckets = new Map<number, CatalogEntry[]>();
  /** One per title and artist, as the WebAssembly module's catalog takes them too. */
  readonly entries: CatalogEntry[] = [];
  private title = new Uint8Array(256);
  private artist = new Uint8Array(256);

  constructor(catalog: SongCatalog) {
    for (const row of catalog.rows) {
      const title = Buffer.from(row.title, 'utf8');
      const artist = Buffer.from(row.artist_name, 'utf8');
      const hash = textHash(title, artist);
      let bucket = this.buckets.get(hash);
      if (bucket === undefined) this.buckets.set(hash, (bucket = []));
      let entry = bucket.find((e) => sameBytes(e.title, title, title.length) && sameBytes(e.artist, artist, artist.length));
      if (entry === undefined) {
        bucket.push((entry = { title, artist, hash, durations: new Map() }));
        this.entries.push(entry);
      }
      entry.durations.set(row.duration, textCells(row.song_id, row.artist_id));
    }
  }

  /** The durations of the song whose title and artist the two JSON string bodies spell, if the catalog has it. */
  find(b: Uint8Array, titleFrom: number, titleTo: number, artistFrom: number, artistTo: number): Map<number, Uint8Array> | undefined {
    // An escape spells at most as many UTF-8 bytes as it has characters, any other byte itself.
    if (this.title.length < titleTo - titleFrom) this.title = new Uint8Array(2 * (titleTo - titleFrom));
    if (this.artist.length < artistTo - artistFrom) this.artist = new Uint8Array(2 * (artistTo - artistFrom));
    const title = this.title;
    const artist = this.artist;
    const titleLength = spelled(b, titleFrom, titleTo, title);
    const artistLength = spelled(b, artistFrom, artistTo, artist);
    // A lone surrogate: no catalog text (valid UTF-8, from the database) equals it.
    if (titleLength === -1 || artistLength === -1) return undefined;
    const bucket = this.buckets.get(textHash(title, artist, titleLength, artistLength));
    if (bucket === undefined) return undefined;
    for (const e of bucket) if (sameBytes(e.title, title, titleLength) && sameBytes(e.artist, artist, artistLength)) return e.durations;
    return undefined;
  }
}

/** Two texts as binary COPY text fields: each its UTF-8's length (32 bits, big-endian), then the UTF-8. */
function textCells(first: string, second: string): Uint8Array {
  const a = Buffer.from(first, 'utf8');
  const b = Buffer.from(second, 'utf8');
  const cells = new Uint8Array(8 + a.length + b.length);
  const view = new DataView(cells.buffer);
  view.setUint32(0, a.length);
  cells.set(a, 4);
  view.setUint32(4 + a.length, b.length);
  cells.set(b, 8 + a.length);
  return cells;
}

/** The text of a string value b[from, to) the scan noted as `kind` (not NULL). */
function textOf(b: Buffer, from: number, to: number, kind: number): string {
  // Printable ASCII: its Latin-1 decoding is its UTF-8 decoding. With escapes, the quoted string is JSON.
  return kind === PLAIN ? latin1Text(b, from, to) : (JSON.parse(latin1Text(b, from - 1, to + 1)) as string);
}

/**
 * The UTF-8 bytes of the text a JSON string body b[from, to) spells (scan has checked it: printable ASCII, escapes
 * \" \\ \/ \uXXXX) written to `out`, and their count; -1 for a lone surrogate, which UTF-8 cannot spell.
 */
function spelled(b: Uint8Array, from: number, to: number, out: Uint8Array): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    let x = b[i] as number;
    if (x !== BACKSLASH) {
      out[n++] = x;
      continue;
    }
    x = b[++i] as number;
    if (x !== LOWER_U) {
      out[n++] = x;
      continue;
    }
    let c = hex4(b, i + 1);
    i += 4;
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = c <= 0xdbff && b[i + 1] === BACKSLASH && b[i + 2] === LOWER_U ? hex4(b, i + 3) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i += 6;
    }
    n = putCodePoint(out, n, c);
  }
  return n;
}

function hex4(b: Uint8Array, at: number): number {
  let c = 0;
  for (let i = at; i < at + 4; i++) {
    const x = b[i] as number;
    c = c * 16 + (x <= NINE ? x - ZERO : (x | 0x20) - 0x57);
  }
  return c;
}

/** Whether `x` is the first `yLength` bytes of `y`. */
function sameBytes(x: Uint8Array, y: Uint8Array, yLength: number): boolean {
  if (x.length !== yLength) return false;
  for (let i = 0; i < yLength; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameAscii(b: Uint8Array, from: number, to: number, text: string): boolean {
  if (text.length !== to - from) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== b[from + i]) return false;
  return true;
}

function startsWith(b: Uint8Array, at: number, limit: number, bytes: Uint8Array): boolean {
  if (at + bytes.length > limit) return false;
  for (let j = 0; j < bytes.length; j++) if (b[at + j] !== bytes[j]) return false;
  return true;
}

function fieldAt(b: Uint8Array, from: number, to: number): number {
  for (let k = 0; k < fieldCount; k++) {
    const name = fieldBytes[k] as Uint8Array;
    if (name.length === to - from && startsWith(b, from, to, name)) return k;
  }
  return -1;
}

const isDigit = (x: number | undefined) => x !== undefined && x >= ZERO && x <= NINE;
const isHex = (x: number | undefined) => x !== undefined && ((x >= ZERO && x <= NINE) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66));

const fieldCount = logEventFields.length;
const fieldBytes = logEventFields.map((f) => new TextEncoder().encode(f.name));
const fieldTypes: readonly FieldType[] = logEventFields.map((f) => f.type);
const fieldNullable: readonly boolean[] = logEventFields.map((f) => f.nullable);
const allFields = 2 ** fieldCount - 1;
function field(name: string): number {
  const k = logEventFields.findIndex((f) => f.name === name);
  if (k === -1) throw new Error(`no log field ${name}`);
  return k;
}
const ARTIST = field('artist');
const FIRST_NAME = field('firstName');
const GENDER = field('gender');
const ITEM_IN_SESSION = field('itemInSession');
const LAST_NAME = field('lastName');
const LENGTH = field('length');
const LEVEL = field('level');
const LOCATION = field('location');
const PAGE = field('page');
const SESSION_ID = field('sessionId');
const SONG = field('song');
const TS = field('ts');
const USER_AGENT = field('userAgent');
const USER_ID = field('userId');

const nextSong = new TextEncoder().encode('NextSong');
const songplayColumnCount = 9;
/** 2000-01-01T00:00:00Z in epoch milliseconds: PostgreSQL's timestamp epoch. */
const maxInt32 = 0x7fffffff;
// What scan noted of a value.
const PLAIN = 0;
const SIMPLE = 1;
const UNICODE = 2;
const NULL = 3;
const NUMBER = 4;

const QUOTE = 0x22;
const COMMA = 0x2c;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const BACKSLASH = 0x5c;
const LOWER_E = 0x65;
const LOWER_L = 0x6c;
const LOWER_N = 0x6e;
const LOWER_U = 0x75;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
