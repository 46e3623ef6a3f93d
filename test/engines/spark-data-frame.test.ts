import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { avg, col, count, countDistinct, expr, fn, hour, lit, max, min, sum, timestamp_millis, when } from '../../src/engines/spark/column.ts';
import { SparkSession } from '../../src/engines/spark/spark-session.ts';
import { Window } from '../../src/engines/spark/window.ts';
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

async function withLog(t: TestContext): Promise<{ spark: SparkSession; path: string; dir: string } | undefined> {
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
  return { spark, path, dir };
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

test('window functions: a running count per user with rowsBetween, and row_number', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const byUser = Window.partitionBy('userId').orderBy('ts');
  const rows = await spark.read.schema(schema).json(path)
    .select('userId', 'ts',
      fn('row_number').over(byUser).alias('n'),
      sum(expr("CASE WHEN page = 'Home' THEN 1 ELSE 0 END")).over(byUser.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias('homes'))
    .orderBy('userId', 'ts').collect();
  const want: Record<string, unknown>[] = [];
  for (const user of [...new Set(events.map((e) => e.userId))].sort()) {
    let homes = 0n;
    events.filter((e) => e.userId === user).sort((a, b) => a.ts - b.ts).forEach((e, i) => {
      if (e.page === 'Home') homes++;
      want.push({ userId: user, ts: BigInt(e.ts), n: i + 1, homes });
    });
  }
  assert.deepEqual(rows, want);
});

test('join on same-named columns and on a condition', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const log = spark.read.schema(schema).json(path);
  const users = log.select('userId', 'gender').dropDuplicates();
  const plays = log.filter(col('page').eq('NextSong')).groupBy('userId').agg(count().alias('plays'));
  const joined = await plays.join(users, ['userId']).groupBy('gender').agg(sum('plays').alias('plays')).orderBy('gender').collect();
  const want = new Map<string, bigint>();
  for (const e of events) if (e.page === 'NextSong') want.set(e.gender, (want.get(e.gender) ?? 0n) + 1n);
  assert.deepEqual(joined, [...want].sort().map(([gender, n]) => ({ gender, plays: n })));
  const renamed = users.select(col('userId').alias('uid'), 'gender');
  const anti = await log.select('userId').dropDuplicates().join(renamed.filter("gender = 'F'"), col('userId').eq(col('uid')), 'left_anti').orderBy('userId').collect();
  assert.deepEqual(anti.map((r) => r.userId), [...new Set(events.filter((e) => e.gender === 'M').map((e) => e.userId))].sort());
});

test('write.partitionBy().mode("overwrite").parquet(): Hive folders, read back equal, a second overwrite replaces', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path, dir } = setup;
  const out = `${dir}/by-gender`;
  const log = spark.read.schema(schema).json(path);
  await log.write.partitionBy('gender').mode('overwrite').parquet(out);
  await log.write.partitionBy('gender').mode('overwrite').parquet(out);
  assert.deepEqual((await readdir(out)).filter((f) => !f.startsWith('.')).sort(), ['_SUCCESS', 'gender=F', 'gender=M']);
  const back = await spark.read.parquet(out).groupBy('gender').count().orderBy('gender').collect();
  const want = ['F', 'M'].map((gender) => ({ gender, count: BigInt(events.filter((e) => e.gender === gender).length) }));
  assert.deepEqual(back, want);
  await assert.rejects(log.write.parquet(out), /SPK_E_ENGINE: Spark write parquet: \[PATH_ALREADY_EXISTS\]/);
});

test('when().when().otherwise(), when without otherwise (NULL), isin', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const rows = await spark.read.schema(schema).json(path)
    .select('ts',
      when(col('page').eq('Home'), 1).when(col('page').eq('NextSong'), 2).otherwise(0).alias('flag'),
      when(col('page').eq('Home'), 'home').alias('home'),
      col('page').isin('Home', 'Logout').alias('away'))
    .orderBy('ts').collect();
  assert.deepEqual(rows, events.map((e) => ({ ts: BigInt(e.ts), flag: e.page === 'Home' ? 1 : e.page === 'NextSong' ? 2 : 0,
    home: e.page === 'Home' ? 'home' : null, away: e.page === 'Home' || e.page === 'Logout' })));
});

test("hour(timestamp_millis()) is the session time zone's hour", async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const hours = () => spark.read.schema(schema).json(path).select(hour(timestamp_millis('ts')).alias('hour')).orderBy('ts').collect();
  await spark.sql('SET spark.sql.session.timeZone = UTC').collect();
  assert.deepEqual(await hours(), events.map((e) => ({ hour: new Date(e.ts).getUTCHours() })));
  // India is UTC+05:30 all year: every hour moves, and the half hour moves some across an hour boundary.
  await spark.sql('SET spark.sql.session.timeZone = Asia/Kolkata').collect();
  assert.deepEqual(await hours(), events.map((e) => ({ hour: new Date(e.ts + 5.5 * 3_600_000).getUTCHours() })));
});

test('rangeBetween: rows tied on the order share one frame (rowsBetween counts them one by one); a value offset', async (t) => {
  const setup = await withLog(t);
  if (!setup) return;
  const { spark, path } = setup;
  const byPage = Window.partitionBy('userId').orderBy('page');
  const rows = await spark.read.schema(schema).json(path)
    .select('userId', 'page', 'ts',
      count().over(byPage.rangeBetween(Window.unboundedPreceding, Window.currentRow)).alias('range'),
      count().over(byPage.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias('rows'),
      count().over(Window.orderBy('ts').rangeBetween(-1_200_000, Window.currentRow)).alias('last20min'))
    .orderBy('ts').collect();
  assert.deepEqual(rows.map((r) => ({ userId: r.userId, page: r.page, range: r.range, last20min: r.last20min })), events.map((e, i) => ({
    userId: e.userId, page: e.page, range: BigInt(events.filter((o) => o.userId === e.userId && o.page <= e.page).length), last20min: BigInt(Math.min(i + 1, 3)) })));
  for (const user of new Set(events.map((e) => e.userId))) {
    const numbers = rows.filter((r) => r.userId === user).map((r) => Number(r.rows)).sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1));
  }
  assert.ok(rows.some((r) => r.range !== r.rows), 'the log has ties on page within a user');
});
