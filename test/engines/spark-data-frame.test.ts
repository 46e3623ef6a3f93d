import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { avg, col, count, countDistinct, expr, fn, lit, max, min, sum } from '../../src/engines/spark/column.ts';
import { SparkSession } from '../../src/engines/spark/spark-session.ts';
import { testSparkRemote } from '../support/spark.ts';

interface Event { userId: string; gender: string; page: string; artist: string | null; length: number | null; ts: number }

/** A small eventsim-like log, made here so that every expected answer is computed from it in plain JavaScript. */
const events: Event[] = Array.from({ length: 60 }, (_, i) => {
  const user = `u${i % 7}`;
  const page = ['NextSong', 'Home', 'NextSong', 'Logout', 'NextSong', 'Settings'][i % 6] as string;
  const song = page === 'NextSong';
  return { userId: user, gender: i % 7 < 3 ? 'F' : 'M', page, artist: song ? `artist ${i % 4}` : null, length: song ? 100 + i : null,
    ts: 1_541_030_400_000 + i * 600_000 };
});

async function withLog(t: TestContext): Promise<{ spark: SparkSession; path: string } | undefined> {
  const remote = testSparkRemote(t);
  if (remote === undefined) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-spark-df-'));
  const path = join(dir, 'events.json');
  await writeFile(path, events.map((e) => JSON.stringify(e)).join('\n'));
  const spark = SparkSession.connect(remote);
  t.after(async () => {
    await spark.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { spark, path };
}

const schema = 'userId STRING, gender STRING, page STRING, artist STRING, length DOUBLE, ts BIGINT';

test('read.json with a schema, filter, groupBy().agg(), orderBy: plays per user as JavaScript counts them', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const rows = await spark.read.schema(schema).json(path)
    .filter(col('page').eq('NextSong'))
    .groupBy('userId')
    .agg(count().alias('plays'), sum('length').alias('total'), min('length').alias('shortest'), max('length').alias('longest'), avg('length').alias('mean'))
    .orderBy(col('plays').desc(), 'userId')
    .collect();
  const expected = new Map<string, number[]>();
  for (const e of events) if (e.page === 'NextSong') expected.set(e.userId, [...(expected.get(e.userId) ?? []), e.length as number]);
  const want = [...expected].map(([userId, lengths]) => ({ userId, plays: BigInt(lengths.length), total: lengths.reduce((a, b) => a + b, 0),
    shortest: Math.min(...lengths), longest: Math.max(...lengths), mean: lengths.reduce((a, b) => a + b, 0) / lengths.length }))
    .sort((a, b) => Number(b.plays - a.plays) || a.userId.localeCompare(b.userId));
  assert.deepEqual(rows, want);
});

test('countDistinct, where with a SQL string, withColumn, dropDuplicates, select, limit', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const log = spark.read.schema(schema).json(path);
  const [women] = await log.where("gender = 'F'").agg(countDistinct('userId').alias('n')).collect();
  assert.deepEqual(women, { n: BigInt(new Set(events.filter((e) => e.gender === 'F').map((e) => e.userId)).size) });
  const hours = await log.withColumn('hour', fn('hour', fn('timestamp_millis', 'ts'))).filter(col('page').eq('NextSong'))
    .groupBy('hour').count().orderBy('hour').collect();
  const byHour = new Map<number, number>();
  for (const e of events) if (e.page === 'NextSong') byHour.set(new Date(e.ts).getUTCHours(), (byHour.get(new Date(e.ts).getUTCHours()) ?? 0) + 1);
  assert.deepEqual(hours, [...byHour].sort((a, b) => a[0] - b[0]).map(([hour, n]) => ({ hour, count: BigInt(n) })));
  const pages = await log.select('page').dropDuplicates().orderBy('page').collect();
  assert.deepEqual(pages.map((r) => r.page), [...new Set(events.map((e) => e.page))].sort());
  const firstPerUser = await log.dropDuplicates(['userId']).select('userId').orderBy('userId').limit(3).collect();
  assert.deepEqual(firstPerUser, [{ userId: 'u0' }, { userId: 'u1' }, { userId: 'u2' }]);
  assert.equal(await log.count(), events.length);
  assert.deepEqual(await log.select(lit(1).plus(col('length')).alias('x'), expr('upper(page)').alias('p')).where(col('length').isNotNull()).limit(1).collect(),
    [{ x: 101, p: 'NEXTSONG' }]);
});

test("explain() returns Spark's own plan", async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const plan = await spark.read.schema(schema).json(path).groupBy('page').count().explain();
  assert.match(plan, /== Physical Plan ==/);
  assert.match(plan, /HashAggregate/);
  assert.match(plan, /FileScan json/);
});

test('an unknown column is a typed error naming it', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  await assert.rejects(spark.read.schema(schema).json(path).select('nope').collect(), /SPK_E_ENGINE: Spark query: \[UNRESOLVED_COLUMN\.WITH_SUGGESTION\] A column, variable, or function parameter with name `nope` cannot be resolved/);
});
