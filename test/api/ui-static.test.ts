import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Fastify from 'fastify';
import { installProblemHandlers } from '../../src/api/problem.ts';
import { registerUiStatic } from '../../src/api/ui-static.ts';

async function appOver(t: TestContext, root: string) {
  const app = Fastify();
  installProblemHandlers(app);
  await registerUiStatic(app, root);
  t.after(() => app.close());
  return app;
}

test('the built SPA: index.html at / and for unknown non-API paths, assets typed and cached, API paths a JSON 404', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'sparkify-ui-dist-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Sparkify</title>');
  await writeFile(join(root, 'assets', 'main-ABC123.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'styles-ABC123.css'), 'body{}');
  await writeFile(join(root, 'favicon.svg'), '<svg/>');
  await writeFile(join(tmpdir(), 'sparkify-outside.txt'), 'secret');
  const app = await appOver(t, root);
  for (const url of ['/', '/dags/etl/grid', '/connections']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.body, /<title>Sparkify/);
  }
  const js = await app.inject({ method: 'GET', url: '/assets/main-ABC123.js' });
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.body, 'console.log(1)');
  assert.equal((await app.inject({ method: 'GET', url: '/assets/styles-ABC123.css' })).headers['content-type'], 'text/css; charset=utf-8');
  assert.equal((await app.inject({ method: 'GET', url: '/favicon.svg' })).headers['content-type'], 'image/svg+xml');
  assert.equal((await app.inject({ method: 'GET', url: '/assets/main-OLD.js' })).statusCode, 404, 'a missing asset is not the page');
  const api = await app.inject({ method: 'GET', url: '/api/v2/nope' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().status, 404);
  for (const url of ['/../sparkify-outside.txt', '/%2e%2e/sparkify-outside.txt', '/assets/%2e%2e/%2e%2e/sparkify-outside.txt']) {
    assert.doesNotMatch((await app.inject({ method: 'GET', url })).body, /secret/, url);
  }
  assert.equal((await app.inject({ method: 'GET', url: '/%E0%A4%A' })).statusCode, 400);
});

test('without a build, / says how to make one', async (t) => {
  const app = await appOver(t, join(tmpdir(), 'sparkify-no-such-dist'));
  const res = await app.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build/);
});
