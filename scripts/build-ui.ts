// Bundles the web UI (src/ui/) into dist/ui/ with esbuild: one ES module and one stylesheet (ours, with xyflow's and
// uPlot's @imported) under assets/, named by their content hash so the server may let browsers cache them for good
// (src/api/ui-static.ts), each with its brotli and gzip twin, and index.html naming them. Run at `npm ci`
// (package.json's prepare), by `npm run build-ui` and `npm run build`; never committed. The tests that serve the UI
// call ensureUiBuilt(), which builds only when the sources changed since the last build.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const uiSource = join(root, 'src', 'ui');
export const uiOutput = join(root, 'dist', 'ui');
/** The SHA-256 of the sources a build was made from, kept beside it. */
const sourceHashFile = 'source.sha256';

function options(outdir: string): esbuild.BuildOptions {
  return {
    entryPoints: { main: join(uiSource, 'main.tsx'), styles: join(uiSource, 'styles.css') },
    outdir: join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  };
}

/** What the bundle is made from: the UI's files and this script (the packages are pinned by the lockfile). */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(uiSource, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  for (const file of [...files, join(root, 'scripts', 'build-ui.ts')]) hash.update(relative(root, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}

/**
 * Builds the bundle; returns each asset's size, plain and gzipped (the decision file's sizes come from here). The
 * build is made in a folder of its own and swapped in whole, so a server (or a test running beside this one) never
 * reads half a build.
 */
export async function buildUi(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Record<string, { bytes: number; gzipped: number }>> {
  const started = performance.now();
  const hash = await sourceHash();
  const staging = `${uiOutput}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await mkdir(staging, { recursive: true });
    const result = await esbuild.build(options(staging));
    const sizes: Record<string, { bytes: number; gzipped: number }> = {};
    let html = await readFile(join(uiSource, 'index.html'), 'utf8');
    for (const file of Object.keys(result.metafile?.outputs ?? {})) {
      if (file.endsWith('.map') || file.endsWith('.txt')) continue;
      const served = `/${file.slice(file.lastIndexOf('assets/'))}`;
      // Compressed once here, not per request: the server sends the variant the browser accepts.
      const bytes = await readFile(join(root, file));
      const gzip = gzipSync(bytes, { level: 9 });
      await writeFile(join(root, `${file}.gz`), gzip);
      await writeFile(join(root, `${file}.br`), brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
      sizes[served] = { bytes: bytes.length, gzipped: gzip.length };
      // index.html names the unhashed files; each becomes its hashed name.
      html = html.replace(`"${served.replace(/-[A-Z0-9]{8}(\.\w+)$/, '$1')}"`, `"${served}"`);
    }
    const unresolved = html.match(/"\/assets\/[a-z]+\.(js|css)"/);
    if (unresolved) throw new Error(`build-ui: index.html names ${unresolved[0]}, which the build did not make`);
    await writeFile(join(staging, 'index.html'), html);
    await writeFile(join(staging, sourceHashFile), `${hash}\n`);
    const old = `${staging}.old`;
    await rename(uiOutput, old).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error; });
    await rename(staging, uiOutput).catch((error: NodeJS.ErrnoException) => {
      // Another build landed between our two renames (two tests at once); esbuild's output is deterministic, so it is
      // this build too.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    await rm(old, { recursive: true, force: true });
    log(`web UI built into ${uiOutput} in ${Math.round(performance.now() - started)} ms: ` +
      Object.entries(sizes).map(([f, n]) => `${f} ${(n.bytes / 1024).toFixed(0)} KiB (${(n.gzipped / 1024).toFixed(0)} KiB gzipped)`).join(', '));
    return sizes;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Builds the bundle unless dist/ui/ was built from the same sources. */
export async function ensureUiBuilt(log?: (line: string) => void): Promise<void> {
  const built = await readFile(join(uiOutput, sourceHashFile), 'utf8').catch(() => '');
  if (built.trim() !== (await sourceHash())) await buildUi(log);
}

if (import.meta.main) await buildUi();
