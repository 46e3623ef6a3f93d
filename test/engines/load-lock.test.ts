import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { testDatabase } from '../support/postgres.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-load-lock-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const isLocked = (error: unknown) => {
  assert.ok(error instanceof SparkifyError, String(error));
  assert.equal(error.code, 'SPK_E_LOCKED');
  assert.equal(error.retryable, true);
  return true;
};

/** Another process that opens `engine` (a module of src/engines) on `target` and holds it until killed; resolves once it holds it. */
async function holder(t: TestContext, module: string, open: string): Promise<ChildProcess> {
  const url = new URL(`file://${resolve(import.meta.dirname, '..', '..', 'src', 'engines', module)}`).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); await ${open}; process.stdout.write('held\\n'); setInterval(() => {}, 1e6);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    child.kill('SIGKILL');
  });
  let out = '';
  child.stdout?.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    out += chunk;
    if (out.includes('held')) return child;
  }
  throw new Error('the holder exited before it held the database');
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test('a PGlite directory is one process\'s: another waits as long as told, says so once, then fails with SPK_E_LOCKED', async (t) => {
  const dir = join(await tempDir(t), 'db');
  const first = await PgliteEngine.open(dir);
  try {
    await assert.rejects(PgliteEngine.open(dir), isLocked);
    const told: string[] = [];
    await assert.rejects(PgliteEngine.open(dir, { ms: 300, waiting: (what) => told.push(what) }), isLocked);
    assert.deepEqual(told, [`another process is using the embedded database in ${dir}`]);
  } finally {
    await first.close();
  }
  const again = await PgliteEngine.open(dir);
  assert.deepEqual(await again.query('SELECT 1 AS one'), [{ one: 1 }]);
  await again.close();
});

test('a PGlite directory held by a process that dies (kill -9) is free again', async (t) => {
  const dir = join(await tempDir(t), 'db');
  const child = await holder(t, 'pglite/pglite-engine.ts', `m.PgliteEngine.open(${JSON.stringify(dir)})`);
  await assert.rejects(PgliteEngine.open(dir), isLocked);
  await killed(child);
  const engine = await PgliteEngine.open(dir);
  assert.deepEqual(await engine.query('SELECT 1 AS one'), [{ one: 1 }]);
  await engine.close();
});

test('a DuckDB file another process has open: SPK_E_LOCKED naming its PID, free again once it dies', async (t) => {
  const path = join(await tempDir(t), 'w.duckdb');
  const child = await holder(t, 'duckdb/duckdb-engine.ts', `m.DuckDbEngine.open({ path: ${JSON.stringify(path)} })`);
  const told: string[] = [];
  await assert.rejects(DuckDbEngine.open({ path, wait: { ms: 300, waiting: (what) => told.push(what) } }), (error) => {
    isLocked(error);
    assert.match((error as Error).message, new RegExp(`another process \\(PID ${child.pid}\\) has the DuckDB database .*w\\.duckdb open`));
    return true;
  });
  assert.equal(told.length, 1);
  await killed(child);
  const engine = await DuckDbEngine.open({ path });
  assert.deepEqual(await engine.query('SELECT 1 AS one'), [{ one: 1 }]);
  await engine.close();
});

test('Postgres: one load of a database at a time, in a transaction or across several; the others wait, then SPK_E_LOCKED', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const a = new PostgresEngine({ connectionString: db.url });
  const b = new PostgresEngine({ connectionString: db.url });
  t.after(async () => {
    await a.close();
    await b.close();
  });
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const load = a.transaction(async (tx) => {
    await a.lockLoads({ ms: 0 }, tx);
    locked();
    await ended;
  });
  await holding;
  await assert.rejects(b.lockLoads({ ms: 0 }), isLocked);
  const told: string[] = [];
  await assert.rejects(b.transaction((tx) => b.lockLoads({ ms: 300, waiting: (what) => told.push(what) }, tx)), isLocked);
  assert.equal(told.length, 1);
  assert.match(told[0] as string, /^another Sparkify load of postgres .* is running$/);
  // A waiter is let in when the holder's transaction ends, and holds the database across transactions until released.
  const waiter = b.lockLoads({ ms: 60_000 });
  end();
  await load;
  const release = await waiter;
  await assert.rejects(a.transaction((tx) => a.lockLoads({ ms: 0 }, tx)), isLocked);
  await release();
  await a.transaction((tx) => a.lockLoads({ ms: 0 }, tx));
});

test('processes that open a DuckDB file no one has made yet all get it, one after another (never "not a valid DuckDB database file")', async (t) => {
  // DuckDB creates the file before it locks it: the process that opened it second could lock the still-empty file.
  const dir = await tempDir(t);
  const url = new URL(`file://${resolve(import.meta.dirname, '..', '..', 'src', 'engines', 'duckdb', 'duckdb-engine.ts')}`).href;
  const open = (path: string) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); const e = await m.DuckDbEngine.open({ path: ${JSON.stringify(path)}, wait: { ms: 30000 } }); await e.close();`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  };
  for (let round = 0; round < 12; round++) {
    const path = join(dir, `fresh-${round}.duckdb`);
    const results = await Promise.all(Array.from({ length: 4 }, () => open(path)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
  }
});
