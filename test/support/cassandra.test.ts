import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyspaceName, testKeyspace, withCassandraClient } from './cassandra.ts';

test('a per-file keyspace takes DDL and bound writes on a Cassandra 5 node on loopback', async (t) => {
  const ks = await testKeyspace(t);
  if (!ks) return;
  assert.match(ks.keyspace, /^t_cassandra_[0-9a-f]{8}$/);
  await withCassandraClient(ks.contactPoint, ks.localDataCenter, async (client) => {
    const local = (await client.execute('SELECT release_version, rpc_address, data_center FROM system.local')).first();
    assert.match(String(local?.get('release_version')), /^5\.0\./);
    assert.equal(String(local?.get('rpc_address')), '127.0.0.1');
    assert.equal(local?.get('data_center'), ks.localDataCenter);
    await client.execute(`CREATE TABLE ${ks.keyspace}.song (id text PRIMARY KEY, title text, duration double)`);
    await client.execute(`INSERT INTO ${ks.keyspace}.song (id, title, duration) VALUES (?, ?, ?)`, ['SOABC', 'Ça plane pour moi', 181.5], { prepare: true });
    const rows = (await client.execute(`SELECT id, title, duration FROM ${ks.keyspace}.song`)).rows;
    assert.deepEqual(rows.map((r) => ({ id: r.get('id'), title: r.get('title'), duration: r.get('duration') })),
      [{ id: 'SOABC', title: 'Ça plane pour moi', duration: 181.5 }]);
  });
});

test('the node runs the minimal config: loopback only, periodic commit log sync, no auto-snapshots, small memtables', async (t) => {
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  await withCassandraClient(ks.contactPoint, ks.localDataCenter, async (client) => {
    const cluster = (await client.execute('SELECT cluster_name FROM system.local')).first()?.get('cluster_name');
    if (cluster !== 'sparkify-test') return t.skip(`a node not started by scripts/servers (cluster ${cluster}) has its own config`);
    const settings = new Map((await client.execute('SELECT name, value FROM system_views.settings')).rows
      .map((r) => [String(r.get('name')), String(r.get('value'))]));
    assert.equal(settings.get('commitlog_sync'), 'periodic');
    assert.equal(settings.get('listen_address'), '127.0.0.1');
    assert.equal(settings.get('rpc_address'), '127.0.0.1');
    assert.equal(settings.get('auto_snapshot'), 'false');
    assert.equal(settings.get('memtable_heap_space'), '128MiB');
    assert.equal(settings.get('num_tokens'), '1');
  });
});

test('each call gets its own keyspace, and drop() removes it', async (t) => {
  const first = await testKeyspace(t, { name: 'pair' });
  const second = await testKeyspace(t, { name: 'pair' });
  if (!first || !second) return;
  assert.notEqual(first.keyspace, second.keyspace);
  const exists = (name: string) => withCassandraClient(first.contactPoint, first.localDataCenter, async (c) =>
    (await c.execute('SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', [name])).rowLength === 1);
  assert.ok(await exists(first.keyspace));
  await first.drop();
  await first.drop();
  assert.equal(await exists(first.keyspace), false);
  assert.ok(await exists(second.keyspace));
});

test('keyspace names are valid identifiers of at most 48 characters', () => {
  const name = keyspaceName('A Very-Long File Name '.repeat(10));
  assert.match(name, /^t_a_very_long_file_name_[a-z0-9_]*_[0-9a-f]{8}$/);
  assert.ok(name.length <= 48);
  assert.match(keyspaceName('!!!'), /^t_ks_[0-9a-f]{8}$/);
  assert.notEqual(keyspaceName('x'), keyspaceName('x'));
});
