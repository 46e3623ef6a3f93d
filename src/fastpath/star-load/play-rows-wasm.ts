import { growMemory, instantiate, wasmMaxNameBytes, wasmModule, writeNames, type WasmExports } from '../wasm-modules.ts';
import type { FieldSpec } from '../../datasets/field-spec.ts';

interface Exports extends WasmExports {
  fixedEnd(): number;
  starts(): number;
  ends(): number;
  kinds(): number;
  roles(): number;
  state(): number;
  records(): number;
  maxRecords(): number;
  layout(input: number, scratch: number, output: number, end: number): void;
  setCatalog(index: number, slots: number, latest: bigint): void;
  scanLine(s: number, e: number, delta: number): number;
  run(s: number, e: number, offset: number): number;
}

const typeCodes = { string: 0, int32: 1, integer: 2, number: 3 } as const;

/** The fields wasm/play-rows.ts reads, in the order of its roles. */
export const playRowRoles = ['artist', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'page',
  'sessionId', 'song', 'ts', 'userAgent', 'userId'] as const;

/** The slots of `state` after a run (wasm/play-rows.ts). */
export const RunState = { outLength: 0, records: 1, lines: 2, filtered: 3, reason: 4 } as const;
/** Why a run stopped: it reached its end, the line where it stopped is not one it takes, or its output was full. */
export const RunReason = { done: 0, declined: 1, full: 2 } as const;
/** A play's record: 16 int32s (userId, sessionId, itemInSession, -, ts as a float64 at 4–5, then the starts and ends
 * of firstName, lastName, gender, level at 6–13), the four kinds as bytes 56–59. */
export const recordInt32s = 16;

/** A title and artist of the catalog (UTF-8, their textHash), and per duration the song's cells. */
export interface CatalogEntry {
  title: Uint8Array;
  artist: Uint8Array;
  hash: number;
  /** song_id and artist_id as binary COPY text fields (length, then UTF-8). */
  durations: Map<number, Uint8Array>;
}

/**
 * PlayBytes on WebAssembly (wasm/play-rows.ts): the scan of a line (the same verdict and value positions as
 * PlayBytes.scan), and whole runs of lines made into songplay rows, each play's song found in a copy of the catalog
 * held in the module's memory. The bytes are staged a run of lines at a time (`stage`); positions land in `start`,
 * `end` and `kind`, rows at `output`, plays' records in `records`: views of that memory, in the caller's coordinates.
 * `create` gives undefined when the module is not built; PlayBytes then runs in JavaScript.
 */
export class WasmPlayRows {
  private readonly exports: Exports;
  private readonly fields: number;
  private readonly inputAt: number;
  /** Room a row may take beyond its line's length: the fixed fields and the longest pair of cells. */
  private readonly rowSlack: number;
  private capacity = 0;
  private outputAt = 0;
  private memory!: Uint8Array;
  start!: Int32Array;
  end!: Int32Array;
  kind!: Uint8Array;
  state!: Int32Array;
  records!: Int32Array;
  recordTimes!: Float64Array;
  recordKinds!: Uint8Array;
  /** What is staged: b[from, to) at the input. */
  private staged: Uint8Array | undefined;
  private from = 0;
  private to = 0;

  static create(fields: readonly FieldSpec[], songs: readonly CatalogEntry[], latestTs: number): WasmPlayRows | undefined {
    const module = wasmModule('play-rows');
    const names = fields.map((f) => Buffer.from(f.name, 'utf8'));
    const roles = playRowRoles.map((name) => fields.findIndex((f) => f.name === name));
    if (module === undefined || fields.length > 31 || names.some((n) => n.length > wasmMaxNameBytes) || roles.includes(-1)) return undefined;
    return new WasmPlayRows(module, fields, names, roles, songs, latestTs);
  }

  private constructor(module: WebAssembly.Module, fields: readonly FieldSpec[], names: readonly Buffer[], roles: readonly number[],
    songs: readonly CatalogEntry[], latestTs: number) {
    this.exports = instantiate<Exports>(module);
    const exports = this.exports;
    this.fields = fields.length;
    const catalogAt = align(exports.base() + exports.fixedEnd());
    const catalog = catalogBytes(songs, catalogAt);
    this.inputAt = align(catalogAt + catalog.bytes.length);
    let longest = 0;
    for (const song of songs) for (const cells of song.durations.values()) longest = Math.max(longest, cells.length);
    this.rowSlack = 64 + longest + 64;
    growMemory(exports.memory, this.inputAt);
    new Uint8Array(exports.memory.buffer).set(catalog.bytes, catalogAt);
    exports.setCatalog(catalogAt, catalog.slots, BigInt(latestTs));
    this.room(256 * 1024);
    writeNames(exports, names, fields.map((f) => typeCodes[f.type]), fields.map((f) => (f.nullable ? 1 : 0)));
    new Uint8Array(exports.memory.buffer).set(roles, exports.roles());
  }

  /** Copies b[from, to) into the module's memory, for the scans and runs of the lines in it. */
  stage(b: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    this.memory.set(b.subarray(from, to), this.inputAt);
    this.staged = b;
    this.from = from;
    this.to = to;
  }

  /** Scans line b[s, e) (staged with it, or staged here alone); on success its values are noted in start, end, kind. */
  scan(b: Uint8Array, s: number, e: number): boolean {
    if (b !== this.staged || s < this.from || e > this.to) this.stage(b, s, e);
    return this.exports.scanLine(s - this.from, e - this.from, this.from) !== 0;
  }

  /**
   * Runs the lines of b[s, e) (see wasm/play-rows.ts, run): returns where it stopped, and leaves in `state` why
   * (RunReason), the counts, the records of its plays, and the length of the rows written at `output()`.
   */
  run(b: Uint8Array, s: number, e: number): number {
    if (b !== this.staged || s < this.from || e > this.to) this.stage(b, s, e);
    return this.exports.run(s - this.from, e - this.from, this.from);
  }

  /** The rows of the last run. */
  output(): Uint8Array {
    return this.memory.subarray(this.outputAt, this.outputAt + (this.state[RunState.outLength] as number));
  }

  /**
   * Memory for `bytes` of input and the 16 a comparison may read past them, scratch as large (decoded title and
   * artist), and rows: a line's row is never longer than the line and rowSlack. The views are made again when it grows.
   */
  private room(bytes: number): void {
    const exports = this.exports;
    const memory = exports.memory;
    if (bytes > this.capacity) {
      this.capacity = Math.max(bytes, 2 * this.capacity);
      const scratchAt = this.inputAt + this.capacity + 16;
      this.outputAt = align(scratchAt + this.capacity);
      const outputEnd = this.outputAt + this.capacity + this.rowSlack;
      growMemory(memory, outputEnd);
      exports.layout(this.inputAt, scratchAt, this.outputAt, outputEnd);
    }
    if (this.memory?.buffer === memory.buffer) return;
    const buffer = memory.buffer;
    this.memory = new Uint8Array(buffer);
    this.start = new Int32Array(buffer, exports.starts(), this.fields);
    this.end = new Int32Array(buffer, exports.ends(), this.fields);
    this.kind = new Uint8Array(buffer, exports.kinds(), this.fields);
    this.state = new Int32Array(buffer, exports.state(), 8);
    const records = exports.maxRecords() * recordInt32s;
    this.records = new Int32Array(buffer, exports.records(), records);
    this.recordTimes = new Float64Array(buffer, exports.records(), records / 2);
    this.recordKinds = new Uint8Array(buffer, exports.records(), records * 4);
  }
}

const align = (at: number) => (at + 15) & ~15;

/**
 * The catalog as wasm/play-rows.ts reads it at `at`: an open-addressing index of entry addresses (u32, 0: free), the
 * entries (u32 hash, title length, artist length, duration count; the title, the artist, padded to 8; per duration an
 * f64 and the address and length of its cells), then the cells. Little-endian, as WebAssembly is.
 */
export function catalogBytes(entries: readonly CatalogEntry[], at: number): { bytes: Uint8Array; slots: number } {
  let slots = 2;
  while (slots < 2 * entries.length) slots *= 2;
  let size = 4 * slots;
  const entryAt: number[] = [];
  for (const e of entries) {
    size = (size + 7) & ~7;
    entryAt.push(size);
    size += 16 + e.title.length + e.artist.length;
    size = ((size + 7) & ~7) + 16 * e.durations.size;
  }
  let cellsAt = size;
  for (const e of entries) for (const cells of e.durations.values()) size += cells.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  entries.forEach((e, k) => {
    const offset = entryAt[k] as number;
    let slot = e.hash & (slots - 1);
    while (view.getUint32(4 * slot, true) !== 0) slot = (slot + 1) & (slots - 1);
    view.setUint32(4 * slot, at + offset, true);
    view.setUint32(offset, e.hash, true);
    view.setUint32(offset + 4, e.title.length, true);
    view.setUint32(offset + 8, e.artist.length, true);
    view.setUint32(offset + 12, e.durations.size, true);
    bytes.set(e.title, offset + 16);
    bytes.set(e.artist, offset + 16 + e.title.length);
    let d = (offset + 16 + e.title.length + e.artist.length + 7) & ~7;
    for (const [duration, cells] of e.durations) {
      view.setFloat64(d, duration, true);
      view.setUint32(d + 8, at + cellsAt, true);
      view.setUint32(d + 12, cells.length, true);
      bytes.set(cells, cellsAt);
      cellsAt += cells.length;
      d += 16;
    }
  });
  return { bytes, slots };
}

/** FNV-1a over a title's UTF-8, a separator byte (0xff, never in UTF-8), and the artist's, to 30 bits. */
export function textHash(title: Uint8Array, artist: Uint8Array, titleLength = title.length, artistLength = artist.length): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < titleLength; i++) h = Math.imul(h ^ (title[i] as number), 0x01000193);
  h = Math.imul(h ^ 0xff, 0x01000193);
  for (let i = 0; i < artistLength; i++) h = Math.imul(h ^ (artist[i] as number), 0x01000193);
  // 30 bits: a small integer, which a Map hashes without boxing it.
  return h & 0x3fffffff;
}
