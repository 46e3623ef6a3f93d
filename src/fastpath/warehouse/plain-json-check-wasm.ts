import { growMemory, instantiate, wasmMaxNameBytes, wasmModule, writeNames, type WasmExports } from '../wasm-modules.ts';
import type { CopyType } from '../../pipelines/warehouse/staging-tables.ts';
import { maxLineBytes, maxPlainKeys, PlainJsonCheck } from './plain-json-check.ts';

/**
 * PlainJsonCheck's reading on WebAssembly: the same verdicts, faster, since it is most of what a direct read costs
 * this process (docs/decisions/2026-12-01-plain-json-check-on-webassembly.md). The module is built from
 * wasm/plain-json-check.ts by scripts/build-wasm.ts, which `npm ci` runs; without it, or for keys it cannot hold,
 * plainJsonCheck gives the JavaScript reference instead.
 */
export interface PlainCheck {
  /** Feeds the next bytes; false once a line is known not to be plain (the rest need not be fed). */
  feed(b: Uint8Array): boolean;
  /** After the last chunk: the first line that is not plain, as "line N: why", or undefined. */
  end(): string | undefined;
  readonly problem: string | undefined;
}

/** The check for a column's JSON key `keys[i]` of type `types[i]`: on WebAssembly when it is built, else the reference. */
export function plainJsonCheck(keys: readonly string[], types: readonly CopyType[]): PlainCheck {
  return wasmPlainJsonCheck(keys, types) ?? new PlainJsonCheck(keys, types);
}

/** The check on WebAssembly, or undefined when the module is not built or cannot hold the keys. */
export function wasmPlainJsonCheck(keys: readonly string[], types: readonly CopyType[]): PlainCheck | undefined {
  const module = wasmModule('plain-json-check');
  const encoded = keys.map((k) => Buffer.from(k, 'utf8'));
  if (module === undefined || keys.length > maxPlainKeys || encoded.some((k) => k.length > wasmMaxNameBytes)) return undefined;
  return new WasmPlainJsonCheck(module, encoded, types);
}

/** At most this much of a chunk goes into the module's memory at once. */
const pieceBytes = 1024 * 1024;
const typeCodes: Record<CopyType, number> = { varchar: 0, integer: 1, bigint: 2, double: 3, timestamp: 4 };
const reasons = ['', 'not an object', 'a key is not a string', 'a key with an escape', 'an unterminated key', 'a repeated key',
  'no colon after a key', 'a value that is not plain JSON', '', 'no comma or closing brace after a value', 'more than one value on the line'];

interface Exports extends WasmExports {
  input(): number;
  lines(): number;
  failure(): number;
  failureKey(): number;
  check(len: number, final: number, skip: number): number;
}

class WasmPlainJsonCheck implements PlainCheck {
  private readonly exports: Exports;
  private readonly keys: readonly Buffer[];
  private readonly types: readonly CopyType[];
  private readonly input: number;
  private memory: Uint8Array;
  /** Bytes of a line carried over from the previous chunk, kept at the input's start (none of them a newline). */
  private carry = 0;
  private line = 0;
  private started = false;
  problem: string | undefined;

  constructor(module: WebAssembly.Module, keys: readonly Buffer[], types: readonly CopyType[]) {
    this.exports = instantiate<Exports>(module);
    this.keys = keys;
    this.types = types;
    this.input = this.exports.input();
    this.memory = new Uint8Array(this.exports.memory.buffer);
    this.room(0);
    writeNames(this.exports, keys, types.map((t) => typeCodes[t]));
  }

  feed(b: Uint8Array): boolean {
    if (this.problem !== undefined) return false;
    if (!this.started && b.length > 0) {
      this.started = true;
      if (b[0] === 0x1f && b[1] === 0x8b) return this.fail(1, 'gzip-compressed');
    }
    for (let at = 0; at < b.length; at += pieceBytes) {
      const piece = b.subarray(at, at + pieceBytes);
      const total = this.carry + piece.length;
      this.room(total);
      this.memory.set(piece, this.input + this.carry);
      if (!this.read(total, false)) return false;
      if (this.carry > maxLineBytes) return this.fail(this.line + 1, 'a line longer than 16 MB');
    }
    return true;
  }

  end(): string | undefined {
    if (this.problem === undefined && this.carry > 0) this.read(this.carry, true);
    this.carry = 0;
    return this.problem;
  }

  /** Reads the `total` bytes at the input: its whole lines (all with `final`); what is left becomes the carry. */
  private read(total: number, final: boolean): boolean {
    const { exports, input } = this;
    this.memory[input + total] = 0x0a;
    // The carry holds no newline: the search for the first line's end starts after it.
    const consumed = exports.check(total, final ? 1 : 0, this.carry);
    if (consumed < 0) {
      const why = exports.failure();
      const k = exports.failureKey();
      return this.fail(this.line + exports.lines(), why === 8 ? `a value that is not a plain ${this.types[k]} for ${JSON.stringify((this.keys[k] as Buffer).toString('utf8'))}` : reasons[why] as string);
    }
    this.line += exports.lines();
    if (consumed < total) this.memory.copyWithin(input, input + consumed, input + total);
    this.carry = total - consumed;
    return true;
  }

  /** Memory for `bytes` of input, the sentinel after them and the 16 bytes a comparison may read past it. */
  private room(bytes: number): void {
    if (growMemory(this.exports.memory, this.input + bytes + 1 + 16)) this.memory = new Uint8Array(this.exports.memory.buffer);
  }

  private fail(line: number, why: string): false {
    this.problem = `line ${line}: ${why}`;
    return false;
  }
}
