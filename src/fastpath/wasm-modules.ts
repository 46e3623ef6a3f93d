import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The WebAssembly modules scripts/build-wasm.ts compiles from wasm/<name>.ts into dist/<name>.wasm (npm ci runs it).
 * Each has a JavaScript reference beside its user, which runs when the module is missing.
 */
export type WasmModuleName = 'plain-json-check' | 'play-rows';

/** Where a built module is looked for. */
export function wasmFile(name: WasmModuleName): string {
  return fileURLToPath(new URL(`../../dist/${name}.wasm`, import.meta.url));
}

const compiled = new Map<WasmModuleName, WebAssembly.Module | null>();

/** The compiled module, or undefined when it has not been built (or does not compile: the reference then runs). */
export function wasmModule(name: WasmModuleName): WebAssembly.Module | undefined {
  let module = compiled.get(name);
  if (module === undefined) {
    try {
      const file = wasmFile(name);
      module = existsSync(file) ? new WebAssembly.Module(readFileSync(file)) : null;
    } catch {
      module = null;
    }
    compiled.set(name, module);
  }
  return module ?? undefined;
}

/** The exports of a new instance of a module that imports nothing. */
export function instantiate<T>(module: WebAssembly.Module): T {
  return new WebAssembly.Instance(module, {}).exports as unknown as T;
}

/** What every module exports: its memory, where its free memory starts, and (wasm/names.ts) its table of names. */
export interface WasmExports {
  memory: WebAssembly.Memory;
  base(): number;
  setNames(n: number): void;
}

/** The longest name wasm/names.ts holds: a 64-byte slot keeps the name and a quote after it. */
export const wasmMaxNameBytes = 63;

/**
 * Fills a module's table of names (wasm/names.ts): each name's UTF-8, a type code and a flag per name (what they
 * mean is the module's). At most 32 names of at most wasmMaxNameBytes; the memory must reach past the table.
 */
export function writeNames(exports: WasmExports, names: readonly Uint8Array[], types: readonly number[], flags: readonly number[] = []): void {
  const base = exports.base();
  const table = new DataView(exports.memory.buffer);
  const bytes = new Uint8Array(exports.memory.buffer);
  names.forEach((name, k) => {
    table.setInt32(base + 4 * k, name.length, true);
    table.setUint8(base + 128 + k, types[k] as number);
    table.setUint8(base + 160 + k, flags[k] ?? 0);
    bytes.set(name, base + 256 + 64 * k);
  });
  exports.setNames(names.length);
}

/** Grows the module's memory to at least `bytes`; true when it grew (views of the old buffer are then detached). */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  if (bytes <= memory.buffer.byteLength) return false;
  memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  return true;
}
