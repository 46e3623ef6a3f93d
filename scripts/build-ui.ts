// Bundles the web UI (src/ui/) into dist/ui/ with esbuild: one ES module and one stylesheet (ours, with xyflow's
// and uPlot's @imported) under ui-assets/, and
// index.html. Run at `npm ci` (package.json's prepare) and by `npm run build-ui`; the bundle is never committed.
// `--watch` rebuilds on change while one works on the UI.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const uiSource = join(root, 'src', 'ui');
export const uiOutput = join(root, 'dist', 'ui');

function options(): esbuild.BuildOptions {
  return {
    entryPoints: { main: join(uiSource, 'main.tsx'), styles: join(uiSource, 'styles.css') },
    outdir: join(uiOutput, 'assets'),
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

/** Builds the bundle; returns the bytes of each output file (the decision file's sizes come from here). */
export async function buildUi(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Record<string, number>> {
  const started = performance.now();
  await rm(uiOutput, { recursive: true, force: true });
  await mkdir(uiOutput, { recursive: true });
  const result = await esbuild.build(options());
  const sizes: Record<string, number> = {};
  const gzipped: Record<string, number> = {};
  let html = await readFile(join(uiSource, 'index.html'), 'utf8');
  for (const file of Object.keys(result.metafile?.outputs ?? {})) {
    if (file.endsWith('.map') || file.endsWith('.txt')) continue;
    const served = `/${file.slice(file.indexOf('assets/'))}`;
    sizes[served] = (await stat(join(root, file))).size;
    gzipped[served] = gzipSync(await readFile(join(root, file))).length;
    // index.html names the unhashed files; each becomes its hashed name.
    const plain = served.replace(/-[A-Z0-9]{8}(\.\w+)$/, '$1');
    html = html.replace(`"${plain}"`, `"${served}"`);
  }
  const unresolved = html.match(/"\/assets\/[a-z]+\.(js|css)"/);
  if (unresolved) throw new Error(`build-ui: index.html names ${unresolved[0]}, which the build did not make`);
  await writeFile(join(uiOutput, 'index.html'), html);
  log(`web UI built into ${uiOutput} in ${Math.round(performance.now() - started)} ms: ` +
    Object.entries(sizes).map(([f, n]) => `${f} ${(n / 1024).toFixed(0)} KiB (${((gzipped[f] ?? 0) / 1024).toFixed(0)} KiB gzipped)`).join(', '));
  return sizes;
}

if (import.meta.main) {
  if (process.argv.includes('--watch')) {
    const context = await esbuild.context(options());
    await context.watch();
    process.stderr.write('watching src/ui/ …\n');
  } else {
    await buildUi();
  }
}
