import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { applyCassandraLoad, type CassandraLoadResult } from '../../../src/pipelines/cassandra-model/apply-cassandra-load.ts';
import { planCassandraLoad } from '../../../src/pipelines/cassandra-model/cassandra-plan.ts';
import { answer, cassandraQueries, type QueryAnswer } from '../../../src/pipelines/cassandra-model/cassandra-queries.ts';
import { tableNames } from '../../../src/pipelines/cassandra-model/query-tables.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import type { CqlEngine, CqlRow } from '../../../src/engines/cql-engine.ts';
import { openCqlEngine } from '../../../src/engines/open-cql-engine.ts';
import { cassandraConfigFor, testKeyspace, type TestKeyspace } from '../../support/cassandra.ts';
import {
  expectedArtistListeners, expectedSessionSongs, expectedSongListeners, expectedUserSession, expectedUserSessions,
  plays, readRawEvents, type RawEvent,
} from '../../support/course-events.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

interface Loaded {
  ks: TestKeyspace;
  engine: CqlEngine;
  result: CassandraLoadResult;
}

async function load(ks: TestKeyspace, kind: 'events' | 'logs', cleanup: (fn: () => Promise<void>) => void): Promise<Loaded> {
  const config = cassandraConfigFor(ks);
  const engine = await openCqlEngine(config);
  cleanup(() => engine.close());
  const plan = await planCassandraLoad({ source: { kind, root: kind === 'events' ? sample.events : sample.logs }, config,
    rejectsFile: join(tmpdir(), 'unused.ndjson') });
  const result = await applyCassandraLoad(plan, engine, new MemoryQuarantine());
  return { ks, engine, result };
}

/** Every row of every table, sorted: equal snapshots mean identical tables. */
async function snapshot(engine: CqlEngine): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tableNames) out[table] = (await engine.query(`SELECT * FROM ${table}`, [])).map((r) => JSON.stringify(r)).sort();
  return out;
}

const close = (rows: CqlRow[], key: string) => rows.map((r) => ({ ...r, [key]: Math.round(Number(r[key]) * 1e6) / 1e6 }));

describe('the course sample in Cassandra, loaded from the event CSV files', () => {
  let raw: RawEvent[] = [];
  let csv: Loaded | undefined;
  let skipped = false;
  // Hooks registered from inside `before` would run as soon as it ends: collect the clean-ups, run them last.
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = (fn: () => Promise<void>) => void cleanups.unshift(fn);
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  before(async () => {
    if (!requireDataset({ skip: () => (skipped = true) } as never, sample.events)) return;
    const ks = await testKeyspace({ after: cleanup, skip: () => (skipped = true) }, { name: 'course_csv', create: false });
    if (!ks) return;
    raw = readRawEvents(sample.events);
    csv = await load(ks, 'events', cleanup);
  });

  test('every input record is accounted for, and every play is a row in each of the five tables', (t) => {
    if (!csv) return t.skip(skipped ? 'no dataset or no Cassandra' : undefined);
    const s = csv.result.source;
    assert.deepEqual({ read: s.read, loaded: s.loaded, quarantined: s.quarantined, filtered: s.filtered },
      { read: raw.length, loaded: plays(raw).length, quarantined: 0, filtered: raw.length - plays(raw).length });
    assert.equal(s.loaded, 6820);
    assert.equal(s.read, s.loaded + s.quarantined + s.filtered);
    assert.deepEqual(csv.result.tables.map((x) => [x.table, x.rows]), tableNames.map((x) => [x, 6820]));
  });

  test('Q1 session 338, item 4: the answer computed from the raw CSV, and the course\'s known one', async (t) => {
    if (!csv) return t.skip();
    const got = await answer(csv.engine, cassandraQueries.sessionSongs, { session: 338, item: 4 });
    assert.deepEqual(got.rows, expectedSessionSongs(raw, 338, 4));
    assert.deepEqual(got.rows, [{ artist: 'Faithless', song: 'Music Matters (Mark Knight Dub)', length: 495.3073 }]);
  });

  test('Q2 user 10, session 182: songs in itemInSession order with the user\'s name', async (t) => {
    if (!csv) return t.skip();
    const got = await answer(csv.engine, cassandraQueries.userSession, { user: 10, session: 182 });
    assert.deepEqual(got.rows, expectedUserSession(raw, 10, 182));
    assert.deepEqual(got.rows.map((r) => `${r.artist} - ${r.song} (${r.first_name} ${r.last_name})`), [
      "Down To The Bone - Keep On Keepin' On (Sylvie Cruz)",
      'Three Drives - Greece 2000 (Sylvie Cruz)',
      'Sebastien Tellier - Kilometer (Sylvie Cruz)',
      'Lonnie Gordon - Catch You Baby (Steve Pitron & Max Sanna Radio Edit) (Sylvie Cruz)',
    ]);
  });

  test("Q3 'All Hands Against His Own': every listener's name", async (t) => {
    if (!csv) return t.skip();
    const got = await answer(csv.engine, cassandraQueries.songListeners, { song: 'All Hands Against His Own' });
    assert.deepEqual(got.rows, expectedSongListeners(raw, 'All Hands Against His Own'));
    assert.deepEqual(got.rows.map((r) => `${r.first_name} ${r.last_name}`).sort(), ['Jacqueline Lynch', 'Sara Johnson', 'Tegan Levine']);
  });

  test('Q4 a user\'s sessions with song counts and seconds, and Q5 an artist\'s listeners with play counts', async (t) => {
    if (!csv) return t.skip();
    // The busiest user and the most played artist, so the groups have many rows.
    const top = (key: string) => [...Map.groupBy(plays(raw), (e) => e[key] as string)].sort((a, b) => b[1].length - a[1].length)[0]?.[0] as string;
    for (const user of [10, Number(top('userId'))]) {
      const got: QueryAnswer = await answer(csv.engine, cassandraQueries.userSessions, { user });
      assert.ok(got.rows.length > 0);
      assert.deepEqual(close(got.rows, 'seconds'), close(expectedUserSessions(raw, user), 'seconds'));
    }
    for (const artist of [top('artist'), 'Faithless']) {
      const got: QueryAnswer = await answer(csv.engine, cassandraQueries.artistListeners, { artist });
      assert.ok(got.rows.length > 0);
      assert.deepEqual(got.rows, expectedArtistListeners(raw, artist));
    }
  });

  test('the same answers when the same plays are loaded from the JSON logs', async (t) => {
    if (!csv) return t.skip();
    const ks = await testKeyspace(t, { name: 'course_json', create: false });
    if (!ks) return;
    const json = await load(ks, 'logs', (fn) => t.after(fn));
    assert.deepEqual(json.result.source, { ...csv.result.source, source: 'logs', repaired: 0, precisionLost: 0 });
    const questions = [
      [cassandraQueries.sessionSongs, { session: 338, item: 4 }],
      [cassandraQueries.userSession, { user: 10, session: 182 }],
      [cassandraQueries.songListeners, { song: 'All Hands Against His Own' }],
      [cassandraQueries.userSessions, { user: 10 }],
      [cassandraQueries.artistListeners, { artist: 'Faithless' }],
    ] as const;
    for (const [q, args] of questions) {
      const a: QueryAnswer = await answer(csv.engine, q as never, args);
      const b: QueryAnswer = await answer(json.engine, q as never, args);
      assert.deepEqual(close(b.rows, 'seconds'), close(a.rows, 'seconds'), q.name);
    }
    // The CSV files are an Excel export of the same logs: every play has the same key in both, but Excel
    // rewrote a few cells ("+44" → 44, "True" → TRUE, "1-2-8" → a date). Session tables agree on every key.
    const keys = async (engine: CqlEngine) => (await engine.query('SELECT session_id, item_in_session, user_id FROM session_songs', []))
      .map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(await keys(json.engine), await keys(csv.engine));
  });

  test('re-loading the same input leaves exactly the same rows', async (t) => {
    if (!csv) return t.skip();
    const first = await snapshot(csv.engine);
    const again = await load(csv.ks, 'events', (fn) => t.after(fn));
    assert.equal(again.result.source.loaded, 6820);
    const second = await snapshot(csv.engine);
    for (const table of tableNames) {
      assert.equal(second[table]?.length, table === 'song_listeners' ? first[table]?.length : 6820, table);
      assert.deepEqual(second[table], first[table], table);
    }
  });
});
