import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Play } from '../../../src/pipelines/cassandra-model/play.ts';
import { courseTables, queryTable } from '../../../src/pipelines/cassandra-model/query-tables.ts';
import { batchCql, windowStatements, type WindowStats } from '../../../src/pipelines/cassandra-model/write-statements.ts';

const play = (userId: number, sessionId: number, itemInSession: number, song = `song ${itemInSession}`): Play => ({
  artist: 'A', firstName: 'F', gender: null, itemInSession, lastName: 'L', length: 1.5, level: 'free', location: null,
  sessionId, song, userId,
});

test('rows of one partition share an UNLOGGED batch; rows of different partitions never do', () => {
  const plays = [play(1, 10, 0), play(2, 20, 0, 'song 1'), play(1, 10, 1), play(1, 10, 2), play(2, 20, 1)];
  const stats = new Map<string, WindowStats>();
  const statements = windowStatements(plays, [queryTable('user_session_songs')], { maxRows: 16, maxBytes: 4096 }, stats);
  assert.equal(statements.length, 2);
  const [a, b] = statements;
  assert.match(a?.query ?? '', /^BEGIN UNLOGGED BATCH\n(  INSERT INTO user_session_songs [^\n]+;\n){3}APPLY BATCH$/);
  // Values travel bound, partition key first in every row of the batch: (1, 10) three times.
  assert.deepEqual([0, 7, 14].map((i) => a?.params.slice(i, i + 3)), [[1, 10, 0], [1, 10, 1], [1, 10, 2]]);
  assert.deepEqual([0, 7].map((i) => b?.params.slice(i, i + 3)), [[2, 20, 0], [2, 20, 1]]);
  assert.deepEqual(stats.get('user_session_songs'), { rows: 5, statements: 2, batches: 2 });
});

test('a lone row is a plain INSERT; batches stop at maxRows and at maxBytes', () => {
  const stats = new Map<string, WindowStats>();
  const many = Array.from({ length: 40 }, (_, i) => play(1, 10, i));
  const statements = windowStatements([...many, play(3, 30, 0)], [queryTable('user_sessions')], { maxRows: 16, maxBytes: 1 << 20 }, stats);
  assert.deepEqual(statements.map((s) => s.params.length / 4), [16, 16, 8, 1]);
  assert.equal(statements[3]?.query, queryTable('user_sessions').insert);
  const big = 'x'.repeat(3000);
  const bySize = windowStatements([play(1, 10, 0, big), play(2, 10, 1, big), play(3, 10, 2, big)], [queryTable('song_listeners')],
    { maxRows: 16, maxBytes: 4096 }, new Map());
  assert.deepEqual(bySize.map((s) => s.params.length / 4), [1, 1, 1]);
});

test('each course table gets one row per play; batch texts are made once per size', () => {
  const plays = [play(1, 10, 0), play(1, 10, 1), play(1, 11, 0)];
  const stats = new Map<string, WindowStats>();
  windowStatements(plays, courseTables.map(queryTable), { maxRows: 16, maxBytes: 4096 }, stats);
  assert.deepEqual([...stats].map(([t, s]) => [t, s.rows]), [['session_songs', 3], ['user_session_songs', 3], ['song_listeners', 3]]);
  const insert = queryTable('session_songs').insert;
  assert.equal(batchCql(insert, 3), batchCql(insert, 3));
});
