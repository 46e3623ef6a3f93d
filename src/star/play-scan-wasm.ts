import { growMemory, instantiate, wasmMaxNameBytes, wasmModule, writeNames, type WasmExports } from '../core/wasm-modules.ts';
import type { FieldSpec } from '../datasets/field-spec.ts';

interface Exports extends WasmExports {
  input(): number;
  starts(): number;
  ends(): number;
  kinds(): number;
  scan(s: number, e: number, delta: number): number;
}

const typeCodes = { string: 0, int32: 1, integer: 2, number: 3 } as const;

/**
 * PlayBytes' scan of a line on WebAssembly (wasm/play-scan.ts): the same verdict and the same value positions, with
 * string content read 16 bytes at a time. The bytes are staged in the module's memory a run of lines at a time
 * (`stage`); the positions land in `start`, `end` and `kind`, views of that memory, in the caller's coordinates.
 * `create` gives undefined when the module is not built; PlayBytes then scans in JavaScript.
 */
export class WasmPlayScan {
  private readonly exports: Exports;
  private readonly input: number;
  private readonly fields: number;
  private memory!: Uint8Array;
  start!: Int32Array;
  end!: Int32Array;
  kind!: Uint8Array;
  /** What is staged: b[from, to) at input(). */
  private staged: Uint8Array | undefined;
  private from = 0;
  private to = 0;

  static create(fields: readonly FieldSpec[]): WasmPlayScan | undefined {
    const module = wasmModule('play-scan');
    const names = fields.map((f) => Buffer.from(f.name, 'utf8'));
    if (module === undefined || fields.length > 31 || names.some((n) => n.length > wasmMaxNameBytes)) return undefined;
    return new WasmPlayScan(module, fields, names);
  }

  private constructor(module: WebAssembly.Module, fields: readonly FieldSpec[], names: readonly Buffer[]) {
    this.exports = instantiate<Exports>(module);
    this.input = this.exports.input();
    this.fields = fields.length;
    this.room(256 * 1024);
    writeNames(this.exports, names, fields.map((f) => typeCodes[f.type]), fields.map((f) => (f.nullable ? 1 : 0)));
  }

  /** Copies b[from, to) into the module's memory, for the scans of the lines in it. */
  stage(b: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    this.memory.set(b.subarray(from, to), this.input);
    this.staged = b;
    this.from = from;
    this.to = to;
  }

  /** Scans line b[s, e) (staged with it, or staged here alone); on success its values are noted in start, end, kind. */
  scan(b: Uint8Array, s: number, e: number): boolean {
    if (b !== this.staged || s < this.from || e > this.to) this.stage(b, s, e);
    return this.exports.scan(s - this.from, e - this.from, this.from) !== 0;
  }

  /** Memory for `bytes` of input and the 16 a comparison may read past them; the views are made again when it grows. */
  private room(bytes: number): void {
    const memory = this.exports.memory;
    growMemory(memory, this.input + bytes + 16);
    if (this.memory?.buffer === memory.buffer) return;
    const buffer = memory.buffer;
    this.memory = new Uint8Array(buffer);
    this.start = new Int32Array(buffer, this.exports.starts(), this.fields);
    this.end = new Int32Array(buffer, this.exports.ends(), this.fields);
    this.kind = new Uint8Array(buffer, this.exports.kinds(), this.fields);
  }
}
