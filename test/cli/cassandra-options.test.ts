import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCassandra } from '../../src/engines/cassandra/cassandra-config.ts';
import { compileCassandraFlags } from '../../src/cli/cassandra-options.ts';

test('credentials: the user from a flag or the environment, the password from the environment only, never printed', () => {
  const env = { SPARKIFY_CASSANDRA_USERNAME: 'app', SPARKIFY_CASSANDRA_PASSWORD: 's3cret', SPARKIFY_CASSANDRA_KEYSPACE: 'prod' };
  const config = compileCassandraFlags({}, env);
  assert.deepEqual(config.credentials, { username: 'app', password: 's3cret' });
  assert.equal(config.keyspace, 'prod');
  assert.equal(compileCassandraFlags({ keyspace: 'flag_wins', username: 'ops' }, env).keyspace, 'flag_wins');
  assert.equal(compileCassandraFlags({ username: 'ops' }, env).credentials?.username, 'ops');
  assert.doesNotMatch(describeCassandra(config), /s3cret/);
  assert.match(describeCassandra(config), /as app$/);
  assert.throws(() => compileCassandraFlags({}, { SPARKIFY_CASSANDRA_PASSWORD: 'x' }), /no user/);
  assert.throws(() => compileCassandraFlags({ username: 'app' }, {}), /--password: username and password go together/);
});
