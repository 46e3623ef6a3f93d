import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';

async function* chunks(...texts: string[]) {
  yield* texts;
}

test('copyCsv keeps "" apart from NULL, quotes and newlines inside text, and counts rows', async (t) => {
  const db = await DuckDbEngine.open();
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (id INTEGER, s VARCHAR, d DOUBLE, ts TIMESTAMP)');
  const rows = await db.copyCsv('t', ['id', 's', 'd', 'ts'], chunks('1,"",0.1,"2018-11-01 20:57:10.796"\n2,,,\n', '3,"say ""hi""\nthere",337.68444,"1970-01-01 00:00:00.000"\n'));
  assert.equal(rows, 3);
  const back = await db.query<{ id: number; s: string | null; d: number | null; ts: string | null }>('SELECT id, s, d, CAST(ts AS VARCHAR) AS ts FROM t ORDER BY id');
  assert.deepEqual(back, [
    { id: 1, s: '', d: 0.1, ts: '2018-11-01 20:57:10.796' },
    { id: 2, s: null, d: null, ts: null },
    { id: 3, s: 'say "hi"\nthere', d: 337.68444, ts: '1970-01-01 00:00:00' },
  ]);
  assert.deepEqual(await db.query('SELECT count(*) AS n, $1::INTEGER + 1 AS p FROM t', [41]), [{ n: 3, p: 42 }]);
});

test('a transaction that throws is rolled back, DDL included', async (t) => {
  const db = await DuckDbEngine.open();
  t.after(() => db.close());
  await db.exec('CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (1)');
  await assert.rejects(db.transaction(async (tx) => {
    await tx.exec('INSERT INTO kept VALUES (2); CREATE TABLE gone (y INTEGER); DROP TABLE kept');
    throw new Error('boom');
  }), /boom/);
  assert.deepEqual(await db.query('SELECT x FROM kept'), [{ x: 1 }]);
  assert.deepEqual(await db.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'gone'"), [{ n: 0 }]);
});

test('a long COPY goes in segments that load while the next is written; every row is counted once', async (t) => {
  const db = await DuckDbEngine.open({ segmentChars: 1000 });
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (id INTEGER, s VARCHAR)');
  async function* many() {
    for (let i = 0; i < 500; i++) yield `${2 * i},"row ${2 * i}"\n${2 * i + 1},"row ${2 * i + 1}"\n`;
  }
  assert.equal(await db.copyCsv('t', ['id', 's'], many()), 1000);
  assert.deepEqual(await db.query('SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS top FROM t'), [{ n: 1000, ids: 1000, top: 999 }]);
});

test('a failing segment fails the COPY with DuckDB\'s error, and the segments loaded before it are undone', async (t) => {
  const db = await DuckDbEngine.open({ segmentChars: 4 });
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (0)');
  assert.equal(await db.copyCsv('t', ['id'], chunks('1\n2\n', '3\n4\n')), 4);
  await assert.rejects(db.copyCsv('t', ['id'], chunks('5\n6\n', '7\n8\n', 'x\n', '9\n')), /Could not convert|Conversion Error|CSV/i);
  assert.deepEqual(await db.query('SELECT count(*) AS n, max(id) AS top FROM t'), [{ n: 5, top: 4 }]);
});

test('two COPYs at once interleave their segments on the one connection and each loads all its rows', async (t) => {
  const db = await DuckDbEngine.open({ segmentChars: 500 });
  t.after(() => db.close());
  await db.exec('CREATE TABLE a (id INTEGER); CREATE TABLE b (id INTEGER, s VARCHAR)');
  const order: string[] = [];
  async function* rows(name: string, n: number, line: (i: number) => string) {
    for (let i = 0; i < n; i += 50) {
      order.push(name);
      // A turn of the event loop between chunks, as a network read would give, so the other COPY can go on.
      await new Promise((resolve) => setImmediate(resolve));
      yield Array.from({ length: 50 }, (_, k) => line(i + k)).join('');
    }
  }
  const [na, nb] = await Promise.all([
    db.copyCsv('a', ['id'], rows('a', 2000, (i) => `${i}\n`)),
    db.copyCsv('b', ['id', 's'], rows('b', 1500, (i) => `${i},"b${i}"\n`)),
  ]);
  assert.deepEqual([na, nb], [2000, 1500]);
  assert.deepEqual(await db.query('SELECT (SELECT count(DISTINCT id) FROM a) AS a, (SELECT count(DISTINCT s) FROM b) AS b'), [{ a: 2000, b: 1500 }]);
  // Neither waited for the other to finish: their chunks were read in turn.
  assert.ok(order.indexOf('b') < order.lastIndexOf('a'), order.join(''));
});

test('a COPY asked to use one thread loads every row and leaves the instance its own thread count', async (t) => {
  const db = await DuckDbEngine.open({ threads: 2, segmentChars: 100 });
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (id INTEGER)');
  const threads = async () => (await db.query<{ n: string }>("SELECT current_setting('threads') AS n"))[0]?.n;
  assert.equal(String(await threads()), '2');
  async function* rows() {
    for (let i = 0; i < 100; i++) yield `${i}\n`;
  }
  assert.equal(await db.copyCsv('t', ['id'], rows(), { threads: 1 }), 100);
  assert.equal(String(await threads()), '2');
  await assert.rejects(db.copyCsv('t', ['id'], chunks('1\n', 'x\n'), { threads: 1 }), /Could not convert|Conversion Error|CSV/i);
  assert.equal(String(await threads()), '2', 'put back after a failed COPY too');
  // Inside a transaction the failed COPY aborts it: its error is the one reported, and the rollback puts the count back.
  await assert.rejects(db.transaction((tx) => tx.copyCsv('t', ['id'], chunks('1\n', 'x\n'), { threads: 1 })), /Could not convert|Conversion Error|CSV/i);
  assert.equal(String(await threads()), '2', 'put back after a failed COPY in a transaction');
  assert.deepEqual(await db.query('SELECT count(*) AS n FROM t'), [{ n: 100 }]);
});

test('insertChecked commits only when the check passes, and says why not', async (t) => {
  const db = await DuckDbEngine.open();
  t.after(() => db.close());
  await db.exec('CREATE TABLE t (n BIGINT)');
  assert.deepEqual(await db.insertChecked('INSERT INTO t SELECT range FROM range(1000)', Promise.resolve(undefined)), { rows: 1000 });
  assert.deepEqual(await db.insertChecked('INSERT INTO t SELECT range FROM range(10)', Promise.resolve('line 3: not plain')), { declined: 'line 3: not plain' });
  assert.deepEqual(await db.insertChecked('INSERT INTO t SELECT range FROM range(10)', Promise.reject(new Error('GET failed'))),
    { declined: 'the check failed: GET failed' });
  await assert.rejects(db.insertChecked('INSERT INTO nowhere SELECT 1', Promise.resolve(undefined)), /nowhere/);
  assert.deepEqual(await db.query('SELECT CAST(count(*) AS INTEGER) AS n FROM t'), [{ n: 1000 }]);
});
