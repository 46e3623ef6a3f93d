import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyCassandraLoad } from '../../../src/pipelines/cassandra-model/apply-cassandra-load.ts';
import { planCassandraLoad } from '../../../src/pipelines/cassandra-model/cassandra-plan.ts';
import { answer, cassandraQueries } from '../../../src/pipelines/cassandra-model/cassandra-queries.ts';
import { tableNames } from '../../../src/pipelines/cassandra-model/query-tables.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { openCqlEngine } from '../../../src/engines/open-cql-engine.ts';
import { cassandraConfigFor, testKeyspace } from '../../support/cassandra.ts';
import { event, fixtureDir, hostileTitle, writeLogJson } from './event-fixtures.ts';

test('a title with quotes, semicolons and CQL in it loads and is found again: values are bound, never spliced', async (t) => {
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const dir = await fixtureDir(t);
  const artist = `Guns N' "Roses"; --`;
  const first = `O'Brien"; DROP KEYSPACE ${ks.keyspace};`;
  await writeLogJson(dir, 'hostile.json', [
    event({ song: hostileTitle, artist, firstName: first, itemInSession: 1 }),
    event({ song: hostileTitle, artist, userId: '9', sessionId: 140, firstName: 'Ünïcødé ✓', lastName: "D'Arcy", itemInSession: 2 }),
    event({ song: 'Plain', itemInSession: 3 }),
  ]);
  const config = cassandraConfigFor(ks);
  const engine = await openCqlEngine(config);
  t.after(() => engine.close());
  const plan = await planCassandraLoad({ source: { kind: 'logs', root: join(dir, 'log_data') }, config, rejectsFile: join(dir, 'r.ndjson') });
  const result = await applyCassandraLoad(plan, engine, new MemoryQuarantine());
  assert.equal(result.source.loaded, 3);

  const listeners = await answer(engine, cassandraQueries.songListeners, { song: hostileTitle });
  assert.deepEqual(listeners.rows, [
    { user_id: 8, first_name: first, last_name: 'Summers' },
    { user_id: 9, first_name: 'Ünïcødé ✓', last_name: "D'Arcy" },
  ]);
  const heard = await answer(engine, cassandraQueries.sessionSongs, { session: 139, item: 1 });
  assert.deepEqual(heard.rows, [{ artist, song: hostileTitle, length: 246.30812 }]);
  const fans = await answer(engine, cassandraQueries.artistListeners, { artist });
  assert.deepEqual(fans.rows.map((r) => [r.user_id, r.plays]), [[8, 1], [9, 1]]);
  // A near miss finds nothing: the title is compared whole, not interpreted.
  assert.deepEqual((await answer(engine, cassandraQueries.songListeners, { song: hostileTitle.slice(0, 10) })).rows, []);
  // And every table and the keyspace are still there.
  for (const table of tableNames) assert.ok((await engine.query(`SELECT * FROM ${table} LIMIT 1`, [])).length === 1, table);
});
