import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureUiBuilt } from '../../scripts/build-ui.ts';
import { uiDistDir } from '../../src/api/ui-static.ts';
import { apiFixture } from './api-fixture.ts';

// The real build (scripts/build-ui.ts) as the API server serves it: the page under a strict CSP and never cached, hashed assets cached for
// good and sent precompressed to a browser that accepts it, and nothing outside dist/ui.

test('pglite: the web UI is served: index.html with a CSP, assets precompressed (br, gzip) or plain, 404s as JSON', async (t) => {
  const f = await apiFixture(t, 'pglite');
  if (!f) return;
  await ensureUiBuilt(() => undefined);
  const page = await f.app.inject({ method: 'GET', url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'; .*connect-src 'self'.*frame-ancestors 'none'/);
  const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script, page.body);
  assert.equal((await f.app.inject({ method: 'GET', url: '/dags/anything' })).body, page.body, 'client routes get the page');

  const plain = await readFile(join(uiDistDir, script));
  const br = await f.app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['vary'], 'accept-encoding');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(br.rawPayload.length < plain.length / 3, `${br.rawPayload.length} bytes`);
  assert.ok(brotliDecompressSync(br.rawPayload).equals(plain));
  const gz = await f.app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip, br;q=0' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gunzipSync(gz.rawPayload).equals(plain));
  const identity = await f.app.inject({ method: 'GET', url: script });
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.ok(identity.rawPayload.equals(plain));

  const missing = await f.app.inject({ method: 'GET', url: '/assets/main-OLDBUILD.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().status, 404);
  assert.equal((await f.app.inject({ method: 'GET', url: '/ui/nope' })).statusCode, 404);
  const outside = await f.app.inject({ method: 'GET', url: '/%2e%2e/package.json' });
  assert.doesNotMatch(outside.body, /"devDependencies"/, 'nothing outside dist/ui');
});
