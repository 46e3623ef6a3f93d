import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli } from '../support/run-cli.ts';
import { testDatabase } from '../support/postgres.ts';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'sparkify.js');
const password = 'Pa55-word-NOT-to-show';
const migrationsDir = resolve(import.meta.dirname, '..', '..', 'src', 'orchestrator', 'metadb', 'migrations');

async function dataDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-metadb-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('db migrate on the embedded default: applies once, then says it is up to date; --json', async (t) => {
  const env = { SPARKIFY_DATA_DIR: await dataDir(t) };
  const first = await runCli(['db', 'migrate'], env);
  assert.equal(first.code, 0, first.stderr);
  // Every migration the code ships, in order: a new one needs no change here.
  const shipped = readdirSync(migrationsDir).filter((f) => /^\d{6}-.*\.sql$/.test(f)).sort().map((f) => f.replace(/\.sql$/, ''));
  assert.ok(shipped.length >= 2, 'the migrations were found');
  assert.ok(first.stdout.includes(`orchestrator/pglite: schema version 0 -> ${shipped.length} (applied ${shipped.join(', ')})`), first.stdout);
  const second = await runCli(['db', 'migrate', '--json'], env);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual({ ...JSON.parse(second.stdout), database: undefined }, { database: undefined, from: shipped.length, to: shipped.length, applied: [] });
});

test('postgres: connections on a server need db migrate first; then add, list masked, delete', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const env = { SPARKIFY_DATA_DIR: await dataDir(t), SPARKIFY_METADB: db.url, SPARKIFY_SECRET_KEY: randomBytes(32).toString('base64') };
  const early = await runCli(['connections', 'list'], env);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /SPK_E_SCHEMA_VERSION: .*run `sparkify db migrate`/);
  assert.equal((await runCli(['db', 'migrate'], env)).code, 0);
  const add = await runCli(['connections', 'add', 'wh', '--uri', `postgres://bob:${password}@db.example:5432/warehouse`, '--extra', '{"token":"tok-NOT-to-show"}'], env);
  assert.equal(add.code, 0, add.stderr);
  const list = await runCli(['connections', 'list'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /│ wh +│ postgres +│ db\.example +│ 5432 │ bob +│ warehouse │ \*\*\* +│ \*\*\* +│/);
  const json = await runCli(['connections', 'list', '--json'], env);
  assert.deepEqual(JSON.parse(json.stdout)[0], { conn_id: 'wh', conn_type: 'postgres', host: 'db.example', port: '5432', login: 'bob', schema: 'warehouse', password: '***', extra: '***', description: null });
  for (const r of [add, list, json]) assert.ok(!`${r.stdout}${r.stderr}`.includes(password) && !`${r.stdout}${r.stderr}`.includes('tok-NOT'), 'never printed');
  const wrongKey = await runCli(['variables', 'set', 'k', 'v'], env);
  assert.equal(wrongKey.code, 0);
  const other = await runCli(['variables', 'get', 'k'], { ...env, SPARKIFY_SECRET_KEY: randomBytes(32).toString('hex') });
  assert.equal(other.code, 1);
  assert.match(other.stderr, /^error: SPK_E_SECRET: variable:k: cannot decrypt it with this secret key/);
  assert.equal(other.stderr.trim().split('\n').length <= 2, true, 'one-line error (and its cause)');
  assert.equal((await runCli(['connections', 'delete', 'wh'], env)).code, 0);
  const gone = await runCli(['connections', 'delete', 'wh'], env);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /SPK_E_NOT_FOUND: no connection wh/);
});

test('variables and pools on the embedded default; the key file is made 0600 and a bad SPARKIFY_SECRET_KEY is one line', async (t) => {
  const dir = await dataDir(t);
  const env = { SPARKIFY_DATA_DIR: dir, SPARKIFY_SECRET_KEY: '' };
  assert.equal((await runCli(['variables', 'set', 'cfg', '{"bucket":"b"}', '--description', 'settings'], env)).code, 0);
  const get = await runCli(['variables', 'get', 'cfg'], env);
  assert.equal(get.stdout, '{"bucket":"b"}\n');
  assert.deepEqual(JSON.parse((await runCli(['variables', 'list', '--json'], env)).stdout), [{ key: 'cfg', description: 'settings' }]);
  const missing = await runCli(['variables', 'get', 'nope'], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /SPK_E_NOT_FOUND/);
  const stored = await readFile(join(dir, 'secret.key'), 'utf8');
  assert.match(stored, /^[A-Za-z0-9+/]{43}=\n$/);
  const bad = await runCli(['variables', 'get', 'cfg'], { ...env, SPARKIFY_SECRET_KEY: 'short' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /SPK_E_SECRET: SPARKIFY_SECRET_KEY: a secret key is 32 bytes/);
  assert.equal((await runCli(['pools', 'set', 'etl', '3'], env)).code, 0);
  const pools = JSON.parse((await runCli(['pools', 'list', '--json'], env)).stdout);
  assert.deepEqual(pools.map((p: { pool: string; slots: number }) => [p.pool, p.slots]), [['default_pool', 128], ['etl', 3]]);
  const badSlots = await runCli(['pools', 'set', 'etl', 'many'], env);
  assert.equal(badSlots.code, 2);
  const keepDefault = await runCli(['pools', 'delete', 'default_pool'], env);
  assert.equal(keepDefault.code, 2);
  assert.equal((await runCli(['pools', 'delete', 'etl'], env)).code, 0);
});

test('ps-safety: no flag takes the key, and --uri - keeps the password off the command line', async (t) => {
  const dir = await dataDir(t);
  const env = { ...process.env, SPARKIFY_DATA_DIR: dir, SPARKIFY_SECRET_KEY: randomBytes(32).toString('base64') };
  const flag = await runCli(['connections', 'list', '--secret-key', 'x'], env);
  assert.equal(flag.code, 2, 'there is no --secret-key');
  const child = spawn(process.execPath, [bin, 'connections', 'add', 'wh', '--uri', '-'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise<number | null>((done) => child.on('close', done));
  // While it waits for stdin, the process's command line is what `ps` shows every user.
  const cmdline = await readFile(`/proc/${child.pid}/cmdline`, 'utf8');
  assert.match(cmdline, /connections\0add\0wh\0--uri\0-/);
  assert.ok(!cmdline.includes(password) && !cmdline.includes(env.SPARKIFY_SECRET_KEY));
  child.stdin.end(`postgres://bob:${password}@h:5432/db\n`);
  assert.equal(await closed, 0, out);
  const list = await runCli(['connections', 'list', '--json'], env);
  assert.deepEqual(JSON.parse(list.stdout).map((c: { login: string; password: string }) => [c.login, c.password]), [['bob', '***']]);
});
