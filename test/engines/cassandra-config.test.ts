import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { compileCassandraConfig } from '../../src/engines/cassandra/cassandra-config.ts';

const fails = (raw: Parameters<typeof compileCassandraConfig>[0], message: RegExp) =>
  assert.throws(() => compileCassandraConfig(raw), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG' && message.test(e.message));

test('defaults: one local node, keyspace sparkify, SimpleStrategy 1, LOCAL_QUORUM', () => {
  assert.deepEqual(compileCassandraConfig({}), {
    contactPoints: ['127.0.0.1:9042'], localDataCenter: 'datacenter1', keyspace: 'sparkify',
    replication: { class: 'SimpleStrategy', replicationFactor: 1 }, consistency: 'LOCAL_QUORUM',
    concurrency: 64, maxRetries: 5, requestTimeoutMs: 12000,
  });
});

test('replication: SimpleStrategy or NetworkTopologyStrategy with a factor per data center', () => {
  assert.deepEqual(compileCassandraConfig({ replication: 'simplestrategy:3', consistency: 'quorum' }).replication,
    { class: 'SimpleStrategy', replicationFactor: 3 });
  assert.deepEqual(compileCassandraConfig({ replication: 'NetworkTopologyStrategy:datacenter1=3, eu-west=2' }).replication,
    { class: 'NetworkTopologyStrategy', dataCenters: { datacenter1: 3, 'eu-west': 2 } });
  fails({ replication: 'SimpleStrategy' }, /--replication: SimpleStrategy:<factor>/);
  fails({ replication: 'SimpleStrategy:0' }, /--replication: .*at least 1/);
  fails({ replication: 'EverywhereStrategy:1' }, /--replication: must be SimpleStrategy/);
  fails({ replication: "NetworkTopologyStrategy:dc1'=3" }, /bad data center/);
  fails({ replication: 'NetworkTopologyStrategy:dc1=3' }, /--replication: keeps no replica in the local data center datacenter1/);
});

test('consistency is a known level that the replication can satisfy', () => {
  fails({ consistency: 'MOST' }, /--consistency/);
  fails({ consistency: 'THREE' }, /--consistency: THREE needs 3 replicas but the keyspace keeps 1/);
  fails({ consistency: 'LOCAL_QUORUM', replication: 'NetworkTopologyStrategy:datacenter1=1,dc2=5', localDc: 'dc3' }, /no replica in the local data center dc3/);
  assert.equal(compileCassandraConfig({ consistency: 'each_quorum', replication: 'NetworkTopologyStrategy:datacenter1=3' }).consistency, 'EACH_QUORUM');
});

test('contact points, keyspace and limits are checked, each naming its flag', () => {
  assert.deepEqual(compileCassandraConfig({ contactPoints: 'a.example:9043, 10.0.0.2,[::1]:9042' }).contactPoints, ['a.example:9043', '10.0.0.2', '[::1]:9042']);
  fails({ contactPoints: '' }, /--contact-points: name at least one/);
  fails({ contactPoints: 'host:99999' }, /--contact-points.*port must be 1-65535/);
  fails({ keyspace: 'Music' }, /--keyspace: must be lower-case/);
  fails({ keyspace: 'drop keyspace x;' }, /--keyspace/);
  fails({ concurrency: '0' }, /--concurrency/);
  fails({ retries: '-1' }, /--retries/);
});
