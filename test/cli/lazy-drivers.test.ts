import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { sample as courseSample } from '../support/datasets.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sparkify.js');
const recorder = join(root, 'test', 'support', 'record-modules.ts');
/** The native drivers and SDKs a command must load only when it uses them. */
const drivers = ['@duckdb/', '@electric-sql/pglite', 'pg', 'pg-copy-streams', 'pg-pool', 'cassandra-driver', '@aws-sdk/', '@smithy/'];

/** The packages under node_modules the CLI resolved while running `args`, and its exit code. */
async function packagesLoaded(t: TestContext, args: readonly string[]): Promise<{ code: number | null; packages: Set<string>; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lazy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = join(dir, 'modules.log');
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, ['--import', recorder, bin, ...args], {
      cwd: dir, env: { ...process.env, SPARKIFY_TEST_MODULE_LOG: log, SPARKIFY_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', fail);
    child.on('close', (c) => done({ code: c, stderr: err }));
  });
  const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const packages = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1] as string);
  }
  return { code, packages, stderr };
}

function driversIn(packages: Set<string>): string[] {
  return [...packages].filter((p) => drivers.some((d) => (d.endsWith('/') ? p.startsWith(d) : p === d)));
}

const light: { name: string; args: (dir: string) => string[] }[] = [
  { name: 'sparkify --help', args: () => ['--help'] },
  { name: 'sparkify simulate (a small run)', args: (dir) => ['simulate', '--out', join(dir, 'sim'), '--users', '3', '--days', '1', '--songs', '20', '--seed', '1'] },
  { name: 'etl postgres --dry-run', args: () => ['etl', 'postgres', '--songs', courseSample.songs, '--logs', courseSample.logs, '--dry-run'] },
  { name: 'warehouse load --dry-run (postgres target)', args: () => ['warehouse', 'load', '--target', 'postgres', '--db', 'postgres://u:secret@127.0.0.1:1/x', '--songs', courseSample.songs, '--logs', courseSample.logs, '--json-paths', 'auto', '--dry-run'] },
];

for (const c of light) {
  test(`${c.name} loads no database driver nor the AWS SDK`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-lazy-out-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { code, packages, stderr } = await packagesLoaded(t, c.args(dir));
    assert.equal(code, 0, stderr);
    assert.ok(packages.has('commander'), 'the recorder saw the CLI load its packages');
    assert.deepEqual(driversIn(packages), []);
  });
}

test('a command that uses a driver loads it (the recorder sees drivers): etl postgres into PGlite', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lazy-out-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { code, packages, stderr } = await packagesLoaded(t, ['etl', 'postgres', '--songs', courseSample.songs, '--logs', courseSample.logs, '--db', join(dir, 'pglite'), '--no-progress', '--rejects', join(dir, 'rejects.ndjson')]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(driversIn(packages), ['@electric-sql/pglite']);
});
