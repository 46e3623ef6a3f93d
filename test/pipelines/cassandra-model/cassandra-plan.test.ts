import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCassandraPlan, planCassandraLoad } from '../../../src/pipelines/cassandra-model/cassandra-plan.ts';
import { cassandraQueries } from '../../../src/pipelines/cassandra-model/cassandra-queries.ts';
import { queryTable, tableNames } from '../../../src/pipelines/cassandra-model/query-tables.ts';
import { compileCassandraConfig } from '../../../src/engines/cassandra/cassandra-config.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

/** `PRIMARY KEY ((a, b), c)` → partition [a, b], clustering [c]; `PRIMARY KEY ((a), b)` likewise. */
function primaryKey(ddl: string): { partition: string[]; clustering: string[] } {
  const m = /PRIMARY KEY \(\(([^)]*)\)(?:, ([^)]*))?\)/.exec(ddl);
  const list = (s: string | undefined) => (s ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  return { partition: list(m?.[1]), clustering: list(m?.[2]) };
}

test('every question restricts exactly its table\'s partition key by equality: one partition read, no ALLOW FILTERING', () => {
  const tableOf: Record<string, string> = {
    'session-songs': 'session_songs', 'user-session': 'user_session_songs', 'song-listeners': 'song_listeners',
    'user-sessions': 'user_sessions', 'artist-listeners': 'artist_listeners',
  };
  for (const q of Object.values(cassandraQueries)) {
    const table = queryTable(tableOf[q.name] as never);
    assert.doesNotMatch(`${q.cql}\n${table.ddl}`, /ALLOW FILTERING/i, q.name);
    assert.match(q.cql, new RegExp(`FROM ${table.name} WHERE`), q.name);
    const statement = q.cql.split('\n').at(-1) ?? '';
    const where = (/WHERE (.*?)(?: GROUP BY|$)/.exec(statement)?.[1] ?? '').split(' AND ').map((c) => c.replace(/ = \?$/, ''));
    assert.deepEqual(where, primaryKey(table.ddl).partition, q.name);
    // GROUP BY, where used, names the first clustering column: it aggregates inside the partition.
    const groupBy = /GROUP BY (\w+)/.exec(statement)?.[1];
    if (groupBy) assert.equal(groupBy, primaryKey(table.ddl).clustering[0], q.name);
  }
});

test('each table\'s INSERT names its primary key columns first, in key order, so values() leads with the partition key', () => {
  for (const name of tableNames) {
    const t = queryTable(name);
    const key = primaryKey(t.ddl);
    const columns = /\(([^)]*)\) VALUES/.exec(t.insert)?.[1]?.split(',').map((c) => c.trim()) ?? [];
    assert.deepEqual(columns.slice(0, key.partition.length + key.clustering.length), [...key.partition, ...key.clustering], name);
    assert.equal(t.partitionKeyValues, key.partition.length, name);
    assert.equal((t.insert.match(/\?/g) ?? []).length, columns.length, name);
  }
});

test('the plan lists the inputs, the keyspace with its replication, the DDL and the writes; --dry-run prints it', async (t) => {
  if (!requireDataset(t, sample.events)) return;
  const config = compileCassandraConfig({ keyspace: 'music_app', replication: 'NetworkTopologyStrategy:datacenter1=3,dc2=2',
    consistency: 'local_quorum', contactPoints: 'cass1:9042,cass2' });
  const plan = await planCassandraLoad({ source: { kind: 'events', root: sample.events }, config, rejectsFile: '/tmp/rejects.ndjson' });
  assert.equal(plan.source.files.length, 30);
  assert.equal(plan.target, 'cassandra cass1:9042,cass2 (dc datacenter1) keyspace music_app');
  assert.match(plan.keyspace.cql,
    /CREATE KEYSPACE IF NOT EXISTS music_app WITH replication = \{'class': 'NetworkTopologyStrategy', 'datacenter1': 3, 'dc2': 2\};/);
  assert.deepEqual(plan.tables.map((x) => x.name), [...tableNames]);
  const text = formatCassandraPlan(plan);
  assert.match(text, /USE music_app;/);
  for (const name of tableNames) assert.match(text, new RegExp(`CREATE TABLE IF NOT EXISTS ${name} \\(`));
  assert.match(text, /at most 64 requests in flight, consistency LOCAL_QUORUM/);
  assert.match(text, /retried up to 5 times/);
});
