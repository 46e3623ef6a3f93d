import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import * as wrangling from '../../examples/wrangling/dataframe.ts';
import { SparkSession } from '../../src/engines/spark/spark-session.ts';
import { simulate } from '../../src/simulator/simulate.ts';
import { testSparkRemote } from '../support/spark.ts';
import * as answer from './wrangling-answers.ts';

// The DataFrame versions of the wrangling questions, on Spark, against the answers computed in TypeScript from the
// same simulated files as the SQL versions' test.
let dir: string;
let logs: string;
let events: answer.Event[];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-wrangling-df-'));
  const input = join(dir, 'sim');
  await simulate({ outDir: input, users: 300, days: 14, songs: 200, seed: 7 });
  logs = join(input, 'log_data');
  events = answer.readEvents(input);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh session in UTC (the hours are the session time zone's), stopped after the test; undefined: skipped. */
async function session(t: TestContext): Promise<SparkSession | undefined> {
  const remote = testSparkRemote(t);
  if (remote === undefined) return undefined;
  const spark = SparkSession.connect(remote);
  t.after(() => spark.stop());
  await wrangling.useUtc(spark);
  return spark;
}

test('the log is read whole with its schema: every event of every day file', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  assert.equal(await wrangling.readLog(spark, logs).count(), events.length);
  const [first] = await wrangling.readLog(spark, logs).select('ts', 'userId').limit(1).collect();
  assert.equal(typeof first?.ts, 'bigint');
  assert.equal(typeof first?.userId, 'string');
});

test('pages never visited by the visitor with the empty userId (left_anti join)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  const expected = answer.pagesNeverVisited(events);
  assert.ok(expected.rows.length > 0 && expected.visited > 0);
  assert.deepEqual(await wrangling.pagesNeverVisited(spark, logs), expected.rows);
});

test('distinct users of a gender (countDistinct)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  for (const gender of ['F', 'M']) {
    const expected = answer.distinctUsersOfGender(events, gender);
    assert.ok((expected[0]?.users ?? 0) > 0);
    assert.deepEqual(await wrangling.distinctUsersOfGender(spark, logs, gender), expected);
  }
});

test('the most played artist (groupBy().agg(), orderBy desc, limit)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  assert.deepEqual(await wrangling.mostPlayedArtist(spark, logs), answer.mostPlayedArtist(events));
});

test('average songs between two home visits (when, a running sum over a RANGE window)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  const expected = answer.songsBetweenHomeVisits(events);
  const rows = await wrangling.songsBetweenHomeVisits(spark, logs);
  assert.equal(rows.length, 1);
  const got = rows[0]?.average_songs as number;
  assert.equal(typeof got, 'number');
  // Spark's avg of longs is a double summed in its own order: equal to the TypeScript mean within rounding.
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
});

test('hourly play counts in UTC (hour of timestamp_millis)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  const expected = answer.hourlyPlays(events);
  assert.equal(expected.length, 24);
  assert.deepEqual(await wrangling.hourlyPlays(spark, logs), expected);
});

test('users who downgraded (filter, select, dropDuplicates)', async (t) => {
  const spark = await session(t);
  if (!spark) return;
  const expected = answer.usersWhoDowngraded(events);
  assert.ok(expected.length > 0);
  assert.deepEqual(await wrangling.usersWhoDowngraded(spark, logs), expected);
});
