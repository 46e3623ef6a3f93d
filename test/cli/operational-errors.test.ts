import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { passwordLoginGroup } from '../../scripts/servers/postgres-server.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { adminUrlVariable, testDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';

/**
 * Operational failures (credentials, targets, connections, SQL, bad flags) end in one or two lines naming a stable
 * code, exit 1 (2 for bad options), never the "internal error" stack of exit 70, and never print a password.
 */
async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-errors-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function assertClean(result: CliResult, exit: number, code: string, secret?: string): void {
  assert.equal(result.code, exit, result.stderr);
  assert.match(result.stderr, new RegExp(`\\b${code}\\b`));
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /, 'no stack trace');
  assert.ok(result.stderr.trim().split('\n').length <= 3, `at most a few lines:\n${result.stderr}`);
  if (secret !== undefined) assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret), 'the password is never printed');
}

const etl = (db: string, extra: string[] = []) => ['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--db', db, '--no-progress', ...extra];

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const count = (url: string, table: string) => withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

/**
 * A role that must give its password: the test server (scripts/servers/postgres-server.ts) trusts loopback except for
 * members of passwordLoginGroup, so the role joins it. A server started otherwise (SPARKIFY_TEST_PG_URL) needs the
 * same rule; the test says so rather than rewrite that server's pg_hba.conf.
 */
async function passwordRole(t: { after: (fn: () => Promise<void>) => void }, db: TestDatabase): Promise<{ role: string; password: string }> {
  const { url: dbUrl, name: dbName } = db;
  const role = `spk_pw_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await withClient(dbUrl, async (c) => {
    // Test files run at once: a concurrent CREATE of the group is a unique violation, which leaves it created.
    await c.query(`DO $$ BEGIN CREATE ROLE ${passwordLoginGroup} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE ${passwordLoginGroup}`);
    await c.query(`ALTER DATABASE ${dbName} OWNER TO ${role}`);
  });
  t.after(async () => {
    // The database first (drop is idempotent): the role owns it and the tables loaded into it.
    await db.drop();
    await withClient(process.env[adminUrlVariable] as string, (c) => c.query(`DROP ROLE ${role}`));
  });
  const wrong = new URL(dbUrl);
  wrong.username = role;
  wrong.password = 'not-the-password';
  const refused = await withClient(wrong.toString(), async () => false).catch((e: { code?: string }) => e.code === '28P01');
  assert.ok(refused, `the server does not ask members of ${passwordLoginGroup} for a password (pg_hba.conf: host all +${passwordLoginGroup} 127.0.0.1/32 scram-sha-256)`);
  return { role, password };
}

test('Postgres: a wrong password is SPK_E_AUTH, exit 1, the password masked; PGPASSWORD and a password file keep it out of the URL', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const db = await testDatabase(t);
  if (!db) return;
  const { role, password } = await passwordRole(t, db);
  const url = new URL(db.url);
  url.username = role;
  const bare = url.toString();
  url.password = 'wrong-secret-123';
  assertClean(await runCli(etl(url.toString())), 1, 'SPK_E_AUTH', 'wrong-secret-123');
  const refused = await runCli(etl(bare), { PGPASSWORD: 'wrong-secret-456' });
  assertClean(refused, 1, 'SPK_E_AUTH', 'wrong-secret-456');
  assert.match(refused.stderr, /password authentication failed .*\(step: connecting\)/);

  const withEnv = await runCli(etl(bare, ['--json']), { PGPASSWORD: password });
  assert.equal(withEnv.code, 0, withEnv.stderr);
  assert.equal(JSON.parse(withEnv.stdout).tables[0].rows, 6820);
  const dir = await tempDir(t);
  const passFile = join(dir, 'pgpass');
  await writeFile(passFile, `${url.hostname}:${url.port}:*:${role}:${password}\n`, { mode: 0o600 });
  const withFile = await runCli(etl(bare, ['--json']), { PGPASSFILE: passFile });
  assert.equal(withFile.code, 0, withFile.stderr);
  assert.ok(!withFile.stdout.includes(password) && !withFile.stderr.includes(password));
});

test('Postgres: an unknown database, a refused port and sslmode=require against a server without SSL are SPK_E_CONNECTION, exit 1', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const db = await testDatabase(t);
  if (!db) return;
  const url = new URL(db.url);
  url.password = 'secret-pw-789';
  const unknown = new URL(url);
  unknown.pathname = `/${db.name}_missing`;
  const missing = await runCli(etl(unknown.toString()));
  assertClean(missing, 1, 'SPK_E_CONNECTION', 'secret-pw-789');
  assert.match(missing.stderr, /does not exist/);
  assert.match(missing.stderr, /:\*\*\*@/, 'the target is named, its password masked');
  const closed = new URL(url);
  closed.port = '1';
  assertClean(await runCli(etl(closed.toString())), 1, 'SPK_E_CONNECTION', 'secret-pw-789');
  const ssl = new URL(url);
  ssl.searchParams.set('sslmode', 'require');
  const noSsl = await runCli(etl(ssl.toString()));
  assertClean(noSsl, 1, 'SPK_E_CONNECTION', 'secret-pw-789');
  assert.match(noSsl.stderr, /does not support SSL/);
  for (const args of [['warehouse', 'load', '--target', 'postgres', '--from', join(sample.songs, '..'), '--db', unknown.toString(), '--no-progress'],
    ['warehouse', 'report', '--target', 'postgres', '--db', unknown.toString()]]) {
    assertClean(await runCli(args), 1, 'SPK_E_CONNECTION', 'secret-pw-789');
  }
});

test('Postgres: a port that is not one (:notaport, :99999) is a bad option, exit 2, the password never printed', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  for (const port of ['notaport', '99999']) {
    const result = await runCli(etl(`postgres://me:secret-port-pw@127.0.0.1:${port}/x`));
    assertClean(result, 2, 'SPK_E_CONFIG', 'secret-port-pw');
    assert.match(result.stderr, /--help/);
  }
});

test('Postgres: a SQL error mid-load (a songs table of another shape) is SPK_E_ENGINE naming the step; the tables stay as they were', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const db = await testDatabase(t);
  if (!db) return;
  await withClient(db.url, (c) => c.query('CREATE TABLE songs (x int); INSERT INTO songs VALUES (7)'));
  const result = await runCli(etl(db.url));
  assertClean(result, 1, 'SPK_E_ENGINE');
  assert.match(result.stderr, /column "[a-z_]+" does not exist .*\(step: [\w -]+\)/);
  assert.equal(await count(db.url, 'songs'), 1);
  assert.equal(await withClient(db.url, async (c) => (await c.query("SELECT to_regclass('songplays') AS t")).rows[0].t), null, 'nothing else was created');
});

test('Postgres: a connection terminated mid-load is SPK_E_CONNECTION, exit 1, and the previous load stays whole', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const db = await testDatabase(t);
  if (!db) return;
  assert.equal((await runCli(etl(db.url))).code, 0);
  const blocker = new pg.Client({ connectionString: db.url });
  await blocker.connect();
  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  // Ended by the test itself: the database's drop (an after hook) would terminate them first.
  // The load is held on a lock this connection takes, so that it is surely mid-load when terminated.
  await blocker.query('BEGIN; LOCK TABLE songplays IN ACCESS EXCLUSIVE MODE');
  const own = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  let ended: CliResult | undefined;
  const load = runCli(etl(db.url)).then((r) => (ended = r));
  let terminated = false;
  while (!terminated) {
    assert.equal(ended, undefined, 'the load ended before it was seen waiting');
    // From a connection outside the transaction: inside one, pg_stat_activity is a snapshot that never changes.
    const rows = (await watcher.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [own])).rows;
    terminated = rows.some((r) => r.done === true);
  }
  await blocker.query('ROLLBACK');
  await Promise.all([blocker.end(), watcher.end()]);
  const result = await load;
  assertClean(result, 1, 'SPK_E_CONNECTION');
  assert.match(result.stderr, /terminating connection due to administrator command/);
  assert.equal(await count(db.url, 'songplays'), 6820);
  assert.equal(await count(db.url, 'time'), 6813);
});

test('PGlite: a SQL error mid-load is SPK_E_ENGINE, exit 1; the table stays as it was', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dir = await tempDir(t);
  const store = join(dir, 'pglite');
  const engine = await PgliteEngine.open(store);
  await engine.exec('CREATE TABLE songs (x int); INSERT INTO songs VALUES (7)');
  await engine.close();
  const result = await runCli(etl(store));
  assertClean(result, 1, 'SPK_E_ENGINE');
  assert.match(result.stderr, /pglite .*does not exist \(step: /);
  const again = await PgliteEngine.open(store);
  t.after(() => again.close());
  assert.deepEqual(await again.query('SELECT x FROM songs'), [{ x: 7 }]);
});

test('DuckDB: a report on a database without the star schema is SPK_E_ENGINE, exit 1, in one or two lines', async (t) => {
  const dir = await tempDir(t);
  assertClean(await runCli(['warehouse', 'report', '--db', join(dir, 'empty.duckdb')]), 1, 'SPK_E_ENGINE');
});

test('--db with an unknown scheme is refused (exit 2) naming the scheme only; a directory of something else is refused too', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dir = await tempDir(t);
  const typo = await runCli(etl('postgress://me:typo-secret@127.0.0.1/x'));
  assertClean(typo, 2, 'SPK_E_CONFIG', 'typo-secret');
  assert.match(typo.stderr, /unknown scheme postgress:\/\//);
  assert.equal(existsSync('postgress:'), false, 'no directory named after the URL');
  assertClean(await runCli(['warehouse', 'report', '--db', 'xyz://me:typo-secret@h/x']), 2, 'SPK_E_CONFIG', 'typo-secret');
  const foreign = join(dir, 'photos');
  await mkdir(foreign);
  await writeFile(join(foreign, 'holiday.jpg'), 'not a database');
  const refused = await runCli(etl(foreign));
  assertClean(refused, 2, 'SPK_E_CONFIG');
  assert.deepEqual(await readdir(foreign), ['holiday.jpg']);
});

test('--rejects that is a directory or cannot be written is refused before the load starts', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dir = await tempDir(t);
  const file = join(dir, 'a-file');
  await writeFile(file, '');
  for (const rejects of [dir, join(file, 'rejects.ndjson')]) {
    const result = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--data-dir', dir, '--rejects', rejects]);
    assertClean(result, 2, 'SPK_E_CONFIG');
    assert.match(result.stderr, /--rejects: cannot write/);
    assert.equal(existsSync(join(dir, 'pglite')), false, 'the load never started');
    const cassandra = await runCli(['cassandra', 'load', '--logs', sample.logs, '--rejects', rejects, '--contact-points', '127.0.0.1:1']);
    assertClean(cassandra, 2, 'SPK_E_CONFIG');
  }
});

test('bad options exit 2 with the one wrong thing and a hint to --help, not the whole usage', async () => {
  for (const args of [['etl', 'postgres', '--songs', 'x'], ['etl', 'postgres', '--songs', 'x', '--logs', 'y', '--bogus'],
    ['warehouse', 'report', '--target', 'oracle'], ['no-such-command'], ['cassandra', 'query', 'user-sessions', '--user', 'ten']]) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^error: /);
    assert.match(result.stderr, /--help/);
    assert.ok(result.stderr.trim().split('\n').length <= 3, result.stderr);
  }
  assert.equal((await runCli(['etl', 'postgres', '--help'])).code, 0);
});

test('an error quoting its input is bounded (a 3 MB CSV header line)', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'events'));
  await writeFile(join(dir, 'events', 'day.csv'), `${'x'.repeat(3_000_000)}\n1,2\n`);
  const result = await runCli(['cassandra', 'consolidate', '--events', join(dir, 'events'), '--out', join(dir, 'out.csv'), '--data-dir', dir, '--no-progress']);
  assert.equal(result.code, 1, result.stderr.slice(0, 500));
  assert.ok(result.stderr.length < 5000, `stderr is ${result.stderr.length} characters`);
});

test('Cassandra: no host at the contact point is SPK_E_CONNECTION, exit 1, for load and query', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const dir = await tempDir(t);
  for (const args of [['cassandra', 'load', '--logs', sample.logs, '--data-dir', dir, '--no-progress'], ['cassandra', 'query', 'user-sessions', '--user', '10']]) {
    assertClean(await runCli([...args, '--contact-points', '127.0.0.1:1']), 1, 'SPK_E_CONNECTION');
  }
});
