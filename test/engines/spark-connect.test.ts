import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { parseSparkRemote } from '../../src/engines/spark/spark-remote.ts';
import { SparkSession } from '../../src/engines/spark/spark-session.ts';
import { testSparkRemote } from '../support/spark.ts';

/** A fresh session on the test server, released after the test; undefined (skipped) without a server. */
function session(t: TestContext): SparkSession | undefined {
  const remote = testSparkRemote(t);
  if (remote === undefined) return undefined;
  const spark = SparkSession.connect(remote);
  t.after(() => spark.stop());
  return spark;
}

test('SELECT 1 answers one row', async (t) => {
  const spark = session(t);
  if (!spark) return;
  assert.deepEqual(await spark.sql('SELECT 1 AS one').collect(), [{ one: 1 }]);
});

test("Spark's types arrive as typed JavaScript values", async (t) => {
  const spark = session(t);
  if (!spark) return;
  const rows = await spark.sql(`SELECT * FROM VALUES
      (1, CAST(9007199254740993 AS BIGINT), 2.5D, CAST(12.34 AS DECIMAL(10,2)), 'a', true, DATE'2018-11-01',
       TIMESTAMP'2018-11-01 21:01:46', array(1, 2), named_struct('x', 1, 'y', 'b')),
      (2, NULL, -0.5D, CAST(-0.05 AS DECIMAL(10,2)), NULL, false, NULL, NULL, array(), NULL)
    AS t(i, l, d, dec, s, b, dt, ts, arr, st) ORDER BY i`).collect();
  assert.deepEqual(rows, [
    { i: 1, l: 9007199254740993n, d: 2.5, dec: '12.34', s: 'a', b: true, dt: new Date('2018-11-01T00:00:00Z'),
      ts: new Date('2018-11-01T21:01:46Z'), arr: [1, 2], st: { x: 1, y: 'b' } },
    { i: 2, l: null, d: -0.5, dec: '-0.05', s: null, b: false, dt: null, ts: null, arr: [], st: null },
  ]);
});

test('a large result streams in Arrow batches and equals what Spark aggregates', async (t) => {
  const spark = session(t);
  if (!spark) return;
  const n = 1_000_000;
  const [aggregate] = await spark.sql(`SELECT count(*) AS n, sum(id) AS total FROM range(${n})`).collect();
  let count = 0;
  let total = 0n;
  let batches = 0;
  let largestBatch = 0;
  for await (const batch of spark.range(0, n).batches()) {
    batches++;
    largestBatch = Math.max(largestBatch, batch.length);
    for (const row of batch) {
      count++;
      total += row.id as bigint;
    }
  }
  assert.deepEqual({ n: BigInt(count), total }, aggregate);
  assert.ok(batches > 1 && largestBatch < n, `streamed in ${batches} batches of at most ${largestBatch} rows`);
});

test("bad SQL is a typed error carrying Spark's own message on one line", async (t) => {
  const spark = session(t);
  if (!spark) return;
  await assert.rejects(spark.sql('SELECT * FROM no_such_table').collect(), (error: unknown) => {
    assert.ok(error instanceof SparkifyError);
    assert.equal(error.code, 'SPK_E_ENGINE');
    assert.match(error.message, /^SPK_E_ENGINE: Spark query: \[TABLE_OR_VIEW_NOT_FOUND\] The table or view `no_such_table` cannot be found/);
    assert.doesNotMatch(error.message, /\n|grpc|INTERNAL|13 /);
    assert.equal(error.details.errorClass, 'TABLE_OR_VIEW_NOT_FOUND');
    assert.equal(error.details.sqlState, '42P01');
    return true;
  });
  await assert.rejects(spark.sql('SELEC 1').collect(), /\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'SELEC'/);
});

test('aborting the signal interrupts the operation on the server', async (t) => {
  const spark = session(t);
  if (!spark) return;
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(new Error('cancelled by the test')), 1_000);
  // Hours of work on local[2]: it ends only if the interrupt reaches the server.
  await assert.rejects(spark.sql('SELECT count(*) FROM range(0, 100000000000, 1, 2)').collect({ signal: controller.signal }), (error: unknown) => {
    assert.ok(error instanceof SparkifyError);
    assert.equal(error.details.interrupted, true);
    assert.match(error.message, /interrupted \(cancelled by the test\)/);
    return true;
  });
  assert.ok(performance.now() - started < 15_000);
  // The session is still usable, and nothing of the interrupted job still runs in it.
  assert.deepEqual(await spark.sql('SELECT 2 AS two').collect(), [{ two: 2 }]);
  assert.deepEqual(await spark.interruptAll(), []);
});

test('an already-aborted signal runs nothing', async (t) => {
  const spark = session(t);
  if (!spark) return;
  await assert.rejects(spark.sql('SELECT 1').collect({ signal: AbortSignal.abort() }), /interrupted/);
});

test('one session across calls: a temporary view made by one call is seen by the next, and not by another session', async (t) => {
  const spark = session(t);
  if (!spark) return;
  await spark.sql("CREATE OR REPLACE TEMPORARY VIEW plays AS SELECT * FROM VALUES ('u1', 3), ('u2', 5) AS p(user_id, n)").collect();
  assert.deepEqual(await spark.sql('SELECT sum(n) AS n FROM plays').collect(), [{ n: 8n }]);
  const rejoined = SparkSession.connect(`${testSparkRemote(t)}/;session_id=${spark.sessionId}`);
  t.after(() => rejoined.client.close());
  assert.equal(rejoined.sessionId, spark.sessionId);
  assert.deepEqual(await rejoined.sql('SELECT count(*) AS c FROM plays').collect(), [{ c: 2n }]);
  const other = session(t) as SparkSession;
  await assert.rejects(other.sql('SELECT * FROM plays').collect(), /TABLE_OR_VIEW_NOT_FOUND/);
});

test('sc:// addresses are parsed as PySpark reads them', () => {
  const remote = parseSparkRemote('sc://127.0.0.1:15099/;user_id=ana;session_id=3f1c9a3e-5b7c-4d7e-9a55-0c6f8d1e2b3a');
  assert.deepEqual(remote, { host: '127.0.0.1', port: 15099, userId: 'ana', sessionId: '3f1c9a3e-5b7c-4d7e-9a55-0c6f8d1e2b3a' });
  assert.equal(parseSparkRemote('sc://spark').port, 15002);
  assert.throws(() => parseSparkRemote('http://x:1'), /SPK_E_CONFIG: bad Spark Connect address/);
  assert.throws(() => parseSparkRemote('sc://x/;session_id=abc'), /session_id must be a UUID/);
  assert.throws(() => parseSparkRemote('sc://x/;token=t'), /not supported/);
});
