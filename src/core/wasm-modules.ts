import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The WebAssembly modules scripts/build-wasm.ts compiles from wasm/<name>.ts into dist/<name>.wasm (npm ci runs it).
 * Each has a JavaScript reference beside its user, which runs when the module is missing.
 */
export type WasmModuleName = 'plain-json-check' | 'play-scan';

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
