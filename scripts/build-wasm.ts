// `node scripts/build-wasm.ts` (npm ci runs it as the package's `prepare` step; `npm test` runs it too): compiles the
// AssemblyScript modules in src/fastpath/wasm/ (plain-json-check.ts, play-rows.ts with play-scan.ts; they share ascii.ts
// and names.ts) into
// dist/<name>.wasm with SIMD, unless a module is already newer than every source there. The modules are built here,
// never committed. When the compiler fails (or, installed without dev dependencies, is missing) it warns and exits 0,
// since the JavaScript references then run instead; under CI=true it exits non-zero.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const modules = ['plain-json-check', 'play-rows'];

/** Builds each module that is missing or older than its source; says which it built. */
export async function buildWasm(log: (line: string) => void = (line) => process.stderr.write(`[build-wasm] ${line}\n`)): Promise<void> {
  for (const name of modules) await buildModule(resolve(root, 'src', 'fastpath', 'wasm', `${name}.ts`), resolve(root, 'dist', `${name}.wasm`), log);
}

async function buildModule(source: string, wasmOutput: string, log: (line: string) => void): Promise<void> {
  // Newer than every source in src/fastpath/wasm/ (a module imports the files beside it): up to date.
  const sources = readdirSync(dirname(source)).filter((f) => f.endsWith('.ts')).map((f) => statSync(resolve(dirname(source), f)).mtimeMs);
  if (existsSync(wasmOutput) && statSync(wasmOutput).mtimeMs >= Math.max(...sources)) return;
  // A module older than its source is never used: if this build fails, its JavaScript reference runs instead.
  rmSync(wasmOutput, { force: true });
  mkdirSync(dirname(wasmOutput), { recursive: true });
  const started = performance.now();
  const asc = await import('assemblyscript/asc');
  const out: string[] = [];
  const stream = { write: (chunk: string | Uint8Array) => { out.push(String(chunk)); return true; } };
  const { error } = await asc.main([source, '--outFile', wasmOutput, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'], { stdout: stream, stderr: stream });
  if (error) throw new Error(`AssemblyScript could not compile ${source}: ${error.message}\n${out.join('')}`);
  log(`built ${wasmOutput} (${statSync(wasmOutput).size} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildWasm().catch((error: unknown) => {
    process.stderr.write(`[build-wasm] ${error instanceof Error ? error.message : String(error)}\n`);
    // An install without the modules still works (their JavaScript references run instead): only CI insists on them.
    if (process.env.CI === 'true') process.exit(1);
    process.stderr.write('[build-wasm] *** WARNING: continuing without the WebAssembly modules; their JavaScript references run instead ***\n');
  });
}
