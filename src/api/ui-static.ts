import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiProblem } from './problem.ts';

/** Where `npm run build` (esbuild, issue 17 §2) puts the single-page app; never committed. */
export const uiDistDir = resolve(import.meta.dirname, '..', '..', 'dist', 'ui');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
  '.woff': 'font/woff', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm',
};

/** Paths that are the API's: an unknown one is a JSON 404, never the SPA's page. */
const apiPrefixes = ['/api/', '/auth/', '/ui/'];

/**
 * The built SPA from dist/ui/: its files with their content types (files under assets/ carry a content hash in their
 * names, so they may be cached for a year; index.html never is, so a new build is seen at once), and index.html for
 * `/` and any other GET that is not the API's (the SPA routes on the client), under a strict Content-Security-Policy.
 * Assets go precompressed (brotli or gzip, made by the build) to a browser that accepts it. Without a build, `/` says
 * how to make one.
 * Mount point of the UI's engineer (issue 17 §2), who may change how it serves.
 */
export async function registerUiStatic(app: FastifyInstance, root: string = uiDistDir): Promise<void> {
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = safeDecode(request.url.split('?', 1)[0] ?? '/');
    if (apiPrefixes.some((p) => path.startsWith(p))) throw new ApiProblem(404, `no route GET ${path}`);
    if (!existsSync(join(root, 'index.html'))) {
      return reply.code(503).type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build` (or `npm ci`), which bundles src/ui/ into dist/ui/, then reload.\n');
    }
    const file = resolve(root, `.${path}`);
    // resolve() has already removed any '..'; a path that still leaves the root is refused.
    const inside = file === root || file.startsWith(root + sep);
    const info = inside && path !== '/' ? await stat(file).catch(() => undefined) : undefined;
    if (info?.isFile()) {
      const immutable = path.startsWith('/assets/');
      reply.type(contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('x-content-type-options', 'nosniff');
      const encoded = immutable ? precompressed(file, request.headers['accept-encoding']) : undefined;
      if (encoded === undefined) return reply.send(createReadStream(file));
      return reply.header('content-encoding', encoded.encoding).header('vary', 'accept-encoding').send(createReadStream(encoded.file));
    }
    // A missing asset is a 404 (a stale page asking for an old bundle), not the SPA's page served as JavaScript.
    if (extname(path) !== '' && path.startsWith('/assets/')) throw new ApiProblem(404, `no file ${path}`);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff')
      .header('content-security-policy', contentSecurityPolicy).header('referrer-policy', 'no-referrer')
      .send(createReadStream(join(root, 'index.html')));
  });
}

/**
 * The page may run only its own bundle and talk only to this server: an injected script (a DAG's description, a
 * log line) could not load code or send a token elsewhere. Inline styles stay allowed: React's `style` props, uPlot
 * and xyflow set them; they cannot run code. No framing (clickjacking a Clear button).
 */
export const contentSecurityPolicy = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The build's brotli or gzip twin of an asset (scripts/build-ui.ts writes both), if the browser takes one. */
function precompressed(file: string, acceptEncoding: string | undefined): { file: string; encoding: 'br' | 'gzip' } | undefined {
  // `br;q=0` refuses br; any other weight accepts it (we have one variant each, so weights need not be compared).
  const accepted = (acceptEncoding ?? '').toLowerCase().split(',').map((e) => e.trim()).filter((e) => !/;\s*q=0(\.0*)?$/.test(e)).map((e) => e.split(';', 1)[0]);
  for (const encoding of ['br', 'gzip'] as const) {
    const twin = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    if (accepted.includes(encoding) && existsSync(twin)) return { file: twin, encoding };
  }
  return undefined;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new ApiProblem(400, 'malformed percent-encoding in the path');
  }
}
