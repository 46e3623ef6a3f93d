// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.ts: PlayBytes' whole common case on a run of log
// lines (src/star/play-bytes.ts, whose JavaScript stays the reference): each line scanned (play-scan.ts), classified,
// its song looked up in the catalog (the table PlayBytes writes into this memory) and its songplay row written as
// binary COPY. What needs JavaScript (the user's latest play, the time row) is left in a record per play. A line it
// cannot take for certain stops the run, having changed nothing for it: the caller takes that one its own way.
// test/star/play-bytes.test.ts holds it to the reference.
//
// Memory, from base(): the field table and the scan's results (play-scan.ts), the run's state, the records of its
// plays, then where the caller's layout() puts them: the catalog, the input, scratch and the rows.

import { BACKSLASH, COLON, DOT, isDigit, LOWER_U, NEWLINE, NINE, ZERO } from './ascii';
import { base } from './names';
import { ENDS, KINDS, NULL, PLAIN, scan, SCAN_END, STARTS } from './play-scan';

export { base, setNames } from './names';

// The fields a row needs, by role: the caller writes each role's field number (setRoles).
const ARTIST = 0;
const FIRST_NAME = 1;
const GENDER = 2;
const ITEM_IN_SESSION = 3;
const LAST_NAME = 4;
const LENGTH = 5;
const LEVEL = 6;
const LOCATION = 7;
const PAGE = 8;
const SESSION_ID = 9;
const SONG = 10;
const TS = 11;
const USER_AGENT = 12;
const USER_ID = 13;
const ROLE_COUNT = 14;

// From base(), after the scan's results: the roles (u8 each), the run's state (i32 each), the records.
const ROLES: usize = SCAN_END;
const STATE: usize = ROLES + 16;
// The state's slots, as run() leaves them.
const OUT_LENGTH = 0; // bytes of rows written at outputAt
const RECORDS = 1; // plays recorded
const LINES = 2; // lines gone past (empty ones too)
const FILTERED = 3; // lines of other pages
const REASON = 4; // why the run stopped
const RECORDS_AT: usize = STATE + 32;
/** A play's record: userId, sessionId, itemInSession (i32), ts (f64), then firstName, lastName, gender, level: their
 * starts and ends (i32, the caller's coordinates) and kinds (u8). */
const RECORD_BYTES: usize = 64;
const MAX_RECORDS: i32 = 1024;
const FIXED_END: usize = RECORDS_AT + RECORD_BYTES * <usize>MAX_RECORDS;

// Why a run stopped.
const DONE = 0; // it reached e
const DECLINED = 1; // the line at the returned position is not one it takes
const FULL = 2; // no room for the next line's row or record: take what was written and run again from there

/** Where the caller put the input, the scratch (for decoded title and artist) and the rows, and where they end. */
let inputAt: usize = 0;
let scratchAt: usize = 0;
let outputAt: usize = 0;
let outputEnd: usize = 0;
/** The catalog: an open-addressing index of entry addresses (0: a free slot), mask + 1 slots of u32. */
let indexAt: usize = 0;
let indexMask: u32 = 0;
let latestTs: i64 = 0;
/** The run's offset: the caller's coordinate of input's first byte (the scan notes positions in those). */
let delta: i32 = 0;

/** Where the caller's layout may start, from base(). */
export function fixedEnd(): usize {
  return FIXED_END;
}

export function starts(): usize {
  return base() + STARTS;
}

export function ends(): usize {
  return base() + ENDS;
}

export function kinds(): usize {
  return base() + KINDS;
}

export function roles(): usize {
  return base() + ROLES;
}

export function state(): usize {
  return base() + STATE;
}

export function records(): usize {
  return base() + RECORDS_AT;
}

/** How many records a run leaves at most (it stops FULL at this many plays). */
export function maxRecords(): i32 {
  return MAX_RECORDS;
}

export function layout(input: usize, scratch: usize, output: usize, end: usize): void {
  inputAt = input;
  scratchAt = scratch;
  outputAt = output;
  outputEnd = end;
}

/** The catalog's index (slots: a power of two), and the latest ts a play may have (epoch milliseconds). */
export function setCatalog(index: usize, slots: u32, latest: i64): void {
  indexAt = index;
  indexMask = slots - 1;
  latestTs = latest;
}

/** PlayBytes' scan alone, of input[s, e): see play-scan.ts. */
export function scanLine(s: i32, e: i32, delta: i32): bool {
  return scan(inputAt, s, e, delta);
}

// @ts-ignore: decorator
@inline function field(role: i32): usize {
  return <usize>load<u8>(base() + ROLES + <usize>role);
}

// @ts-ignore: decorator
@inline function startOf(role: i32): usize {
  return inputAt + <usize>(load<i32>(base() + STARTS + (field(role) << 2)) - delta);
}

// @ts-ignore: decorator
@inline function endOf(role: i32): usize {
  return inputAt + <usize>(load<i32>(base() + ENDS + (field(role) << 2)) - delta);
}

// @ts-ignore: decorator
@inline function kindOf(role: i32): u8 {
  return load<u8>(base() + KINDS + field(role));
}

/** A whole number's value from its digits (at most fifteen: exact). */
function integer(role: i32): i64 {
  let n: i64 = 0;
  const e = endOf(role);
  for (let i = startOf(role); i < e; i++) n = n * 10 + <i64>(load<u8>(i) - ZERO);
  return n;
}

/** userId as the reference rule reads it: /^[1-9]\d{0,8}$/. */
function isUserId(): bool {
  const from = startOf(USER_ID);
  const to = endOf(USER_ID);
  if (to - from < 1 || to - from > 9 || load<u8>(from) == ZERO) return false;
  for (let i = from; i < to; i++) if (!isDigit(load<u8>(i))) return false;
  return true;
}

/** Whether the page is exactly NextSong. */
function isNextSong(): bool {
  const from = startOf(PAGE);
  // "NextSong" as a little-endian u64.
  return endOf(PAGE) - from == 8 && load<u64>(from) == 0x676e6f537478654e;
}

function hex4(at: usize): u32 {
  let c: u32 = 0;
  for (let i = at; i < at + 4; i++) {
    const x = <u32>load<u8>(i);
    c = c * 16 + (x <= NINE ? x - ZERO : (x | 0x20) - 0x57);
  }
  return c;
}

function putCodePoint(n: usize, code: u32): usize {
  if (code < 0x80) {
    store<u8>(n, code);
    return n + 1;
  }
  if (code < 0x800) {
    store<u8>(n, 0xc0 | (code >> 6));
    store<u8>(n + 1, 0x80 | (code & 0x3f));
    return n + 2;
  }
  if (code < 0x10000) {
    store<u8>(n, 0xe0 | (code >> 12));
    store<u8>(n + 1, 0x80 | ((code >> 6) & 0x3f));
    store<u8>(n + 2, 0x80 | (code & 0x3f));
    return n + 3;
  }
  store<u8>(n, 0xf0 | (code >> 18));
  store<u8>(n + 1, 0x80 | ((code >> 12) & 0x3f));
  store<u8>(n + 2, 0x80 | ((code >> 6) & 0x3f));
  store<u8>(n + 3, 0x80 | (code & 0x3f));
  return n + 4;
}

/** A low surrogate's \uXXXX at `at`, or 0. */
function lowSurrogateAt(at: usize, to: usize): u32 {
  if (at + 6 > to || load<u8>(at) != BACKSLASH || load<u8>(at + 1) != LOWER_U) return 0;
  const low = hex4(at + 2);
  return low >= 0xdc00 && low <= 0xdfff ? low : 0;
}

/**
 * The UTF-8 of the text a JSON string body [from, to) spells (the scan has checked it: printable ASCII, the escapes
 * \" \\ \/ \uXXXX), written at n; returns where it ends. A lone surrogate is written as U+FFFD (as JavaScript's
 * TextEncoder writes the string JSON.parse makes), or, when `strict`, ends it: returns 0.
 */
function unescape(from: usize, to: usize, n: usize, strict: bool): usize {
  for (let i = from; i < to; ) {
    const x = load<u8>(i);
    if (x != BACKSLASH) {
      store<u8>(n++, x);
      i++;
      continue;
    }
    const y = load<u8>(i + 1);
    if (y != LOWER_U) {
      store<u8>(n++, y);
      i += 2;
      continue;
    }
    let c = hex4(i + 2);
    i += 6;
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = c <= 0xdbff ? lowSurrogateAt(i, to) : 0;
      if (low == 0) {
        if (strict) return 0;
        c = 0xfffd;
      } else {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      }
    }
    n = putCodePoint(n, c);
  }
  return n;
}

// @ts-ignore: decorator
@inline function fnv(h: u32, x: u32): u32 {
  return (h ^ x) * 0x01000193;
}

/**
 * The catalog's durations of the song whose title and artist the play spells: the address of its entry, or 0.
 * Entry: u32 hash, title length, artist length, duration count; the title's UTF-8, the artist's, padded to 8 bytes;
 * then per duration an f64 and the u32 address and length of its two cells (song_id and artist_id as binary COPY
 * fields). Hash: FNV-1a over the title's UTF-8, 0xff, the artist's, to 30 bits (as PlayBytes' ByteCatalog).
 */
function findSong(): usize {
  let title = startOf(SONG);
  let titleEnd = endOf(SONG);
  let artist = startOf(ARTIST);
  let artistEnd = endOf(ARTIST);
  // Escaped text is compared by what it spells: decoded into scratch (never longer than the escapes). A lone
  // surrogate: no catalog text (valid UTF-8, from the database) equals it.
  if (kindOf(SONG) != PLAIN) {
    const n = unescape(title, titleEnd, scratchAt, true);
    if (n == 0) return 0;
    title = scratchAt;
    titleEnd = n;
  }
  if (kindOf(ARTIST) != PLAIN) {
    const at = title == scratchAt ? titleEnd : scratchAt;
    const n = unescape(artist, artistEnd, at, true);
    if (n == 0) return 0;
    artist = at;
    artistEnd = n;
  }
  let h: u32 = 0x811c9dc5;
  for (let i = title; i < titleEnd; i++) h = fnv(h, load<u8>(i));
  h = fnv(h, 0xff);
  for (let i = artist; i < artistEnd; i++) h = fnv(h, load<u8>(i));
  h &= 0x3fffffff;
  const titleLength = <u32>(titleEnd - title);
  const artistLength = <u32>(artistEnd - artist);
  for (let slot = h & indexMask; ; slot = (slot + 1) & indexMask) {
    const entry = <usize>load<u32>(indexAt + (<usize>slot << 2));
    if (entry == 0) return 0;
    if (load<u32>(entry) == h && load<u32>(entry, 4) == titleLength && load<u32>(entry, 8) == artistLength &&
        memory.compare(entry + 16, title, titleLength) == 0 && memory.compare(entry + 16 + titleLength, artist, artistLength) == 0) {
      return entry;
    }
  }
  return 0;
}

/** What a duration that cannot be read exactly here gives: the line is declined. */
const INEXACT: f64 = -1;

/**
 * The play's length as Number() reads it, when its digits make that exact here (at most 15 significant digits and 22
 * after the point: digits / 10^k, both exact doubles, one correctly rounded division), as decimalValue does; else
 * INEXACT. The scan has checked the grammar: digits, and a point with digits after it.
 */
function duration(): f64 {
  const e = endOf(LENGTH);
  let digits = 0;
  let mantissa: u64 = 0;
  let fraction = -1;
  for (let i = startOf(LENGTH); i < e; i++) {
    const x = load<u8>(i);
    if (x == DOT) {
      fraction = 0;
      continue;
    }
    if (fraction != -1) fraction++;
    if (mantissa != 0 || x != ZERO) digits++;
    mantissa = mantissa * 10 + <u64>(x - ZERO);
  }
  if (digits > 15 || fraction > 22) return INEXACT;
  return fraction <= 0 ? <f64>mantissa : <f64>mantissa / load<f64>(powersOfTen + (<usize>fraction << 3));
}

const powersOfTen = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);

/** The song's cells (address << 32 | length) for the play, 0 when the catalog has none, or -1 to decline the line. */
function match(): i64 {
  const entry = findSong();
  if (entry == 0 || kindOf(LENGTH) == NULL) return 0;
  const d = duration();
  if (d == INEXACT) return -1;
  const count = <usize>load<u32>(entry, 12);
  let at = (entry + 16 + <usize>load<u32>(entry, 4) + <usize>load<u32>(entry, 8) + 7) & ~(<usize>7);
  for (let k: usize = 0; k < count; k++, at += 16) {
    if (load<f64>(at) == d) return (<i64>load<u32>(at, 8) << 32) | <i64>load<u32>(at, 12);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function int32(n: usize, v: u32): usize {
  store<u32>(n, bswap<u32>(v));
  return n + 4;
}

/** A text field of a binary COPY row: NULL, or its UTF-8 after its length. */
function textField(role: i32, n: usize): usize {
  const kind = kindOf(role);
  if (kind == NULL) return int32(n, 0xffffffff);
  const from = startOf(role);
  const to = endOf(role);
  let end: usize;
  if (kind == PLAIN) {
    memory.copy(n + 4, from, to - from);
    end = n + 4 + (to - from);
  } else {
    end = unescape(from, to, n + 4, false);
  }
  int32(n, <u32>(end - n - 4));
  return end;
}

/** A number's digits, as they are (they print as JavaScript prints the number). */
function digits(role: i32, n: usize): usize {
  const from = startOf(role);
  const length = endOf(role) - from;
  memory.copy(n, from, length);
  return n + length;
}

// What one line comes to.
const TAKEN = 0;
const OTHER_PAGE = 1;
const NOT_MINE = 2;
const NO_ROOM = 3;

/** Line [s, e) of the input (the caller's coordinates: + delta), its row written at n. */
function oneLine(s: usize, e: usize, n: usize): i32 {
  if (!scan(inputAt, <i32>(s - inputAt), <i32>(e - inputAt), delta)) return NOT_MINE;
  const sessionId = integer(SESSION_ID);
  const item = integer(ITEM_IN_SESSION);
  if (sessionId > 0x7fffffff || item > 0x7fffffff) return NOT_MINE;
  // A page with escapes might spell NextSong: the reference path decodes it.
  if (kindOf(PAGE) != PLAIN) return NOT_MINE;
  if (!isNextSong()) return OTHER_PAGE;
  if (kindOf(USER_ID) != PLAIN || !isUserId() || kindOf(SONG) == NULL || kindOf(ARTIST) == NULL) return NOT_MINE;
  const ts = integer(TS);
  if (ts > latestTs) return NOT_MINE;
  const song = match();
  if (song == -1) return NOT_MINE;
  const cells = <usize>(song >>> 32);
  const cellsLength = <usize>(song & 0xffffffff);
  // Room for the row (never longer than the line plus the ids: see PlayBytes.line) and for the play's record.
  const records = load<i32>(base() + STATE + (RECORDS << 2));
  if (n + (e - s) + 64 + cellsLength > outputEnd || records == MAX_RECORDS) return NO_ROOM;

  const userId = integer(USER_ID);
  const record = base() + RECORDS_AT + <usize>records * RECORD_BYTES;
  store<i32>(record, <i32>userId);
  store<i32>(record, <i32>sessionId, 4);
  store<i32>(record, <i32>item, 8);
  store<f64>(record, <f64>ts, 16);
  for (let k = 0; k < 4; k++) {
    const role = k == 0 ? FIRST_NAME : k == 1 ? LAST_NAME : k == 2 ? GENDER : LEVEL;
    const f = field(role);
    store<i32>(record + 24 + (<usize>k << 3), load<i32>(base() + STARTS + (f << 2)));
    store<i32>(record + 28 + (<usize>k << 3), load<i32>(base() + ENDS + (f << 2)));
    store<u8>(record + 56 + <usize>k, load<u8>(base() + KINDS + f));
  }
  store<i32>(base() + STATE + (RECORDS << 2), records + 1);

  // songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent.
  store<u16>(n, bswap<u16>(9));
  let at = n + 2;
  const id = at;
  at = digits(SESSION_ID, at + 4);
  store<u8>(at++, COLON);
  at = digits(ITEM_IN_SESSION, at);
  store<u8>(at++, COLON);
  at = digits(USER_ID, at);
  int32(id, <u32>(at - id - 4));
  // Microseconds since 2000-01-01 (946,684,800,000 epoch milliseconds), big-endian.
  at = int32(at, 8);
  store<u64>(at, bswap<u64>(<u64>((ts - 946_684_800_000) * 1000)));
  at += 8;
  at = int32(at, 4);
  at = int32(at, <u32>userId);
  at = textField(LEVEL, at);
  if (cellsLength == 0) {
    at = int32(at, 0xffffffff);
    at = int32(at, 0xffffffff);
  } else {
    memory.copy(at, cells, cellsLength);
    at += cellsLength;
  }
  at = int32(at, 4);
  at = int32(at, <u32>sessionId);
  at = textField(LOCATION, at);
  at = textField(USER_AGENT, at);
  store<i32>(base() + STATE + (OUT_LENGTH << 2), <i32>(at - outputAt));
  return TAKEN;
}

/** The next newline in [i, e), or e. */
function lineEnd(i: usize, e: usize): usize {
  const newlines = i8x16.splat(<i8>NEWLINE);
  while (i + 16 <= e) {
    const bits = i8x16.bitmask(i8x16.eq(v128.load(i), newlines));
    if (bits != 0) return i + <usize>ctz(bits);
    i += 16;
  }
  while (i < e && load<u8>(i) != NEWLINE) i++;
  return i;
}

/**
 * The lines of input[s, e) (each up to a newline, the last up to e), in order: rows at outputAt, a record per play,
 * the counts in state(). Stops at e (DONE), at a line it does not take (DECLINED: the returned position is its start;
 * nothing was counted or written for it), or when the next row or record would not fit (FULL). Returns where it
 * stopped, in the caller's coordinates (input's offsets + `offset`).
 */
export function run(s: i32, e32: i32, offset: i32): i32 {
  delta = offset;
  const st = base() + STATE;
  store<i32>(st + (OUT_LENGTH << 2), 0);
  store<i32>(st + (RECORDS << 2), 0);
  store<i32>(st + (LINES << 2), 0);
  store<i32>(st + (FILTERED << 2), 0);
  const e = inputAt + <usize>e32;
  let i = inputAt + <usize>s;
  let lines = 0;
  let filtered = 0;
  let reason = DONE;
  while (true) {
    const nl = lineEnd(i, e);
    if (nl > i) {
      const outcome = oneLine(i, nl, outputAt + <usize>load<i32>(st + (OUT_LENGTH << 2)));
      if (outcome == NOT_MINE || outcome == NO_ROOM) {
        reason = outcome == NOT_MINE ? DECLINED : FULL;
        break;
      }
      if (outcome == OTHER_PAGE) filtered++;
    }
    lines++;
    if (nl >= e) {
      i = e;
      break;
    }
    i = nl + 1;
  }
  store<i32>(st + (LINES << 2), lines);
  store<i32>(st + (FILTERED << 2), filtered);
  store<i32>(st + (REASON << 2), reason);
  return <i32>(i - inputAt) + offset;
}
