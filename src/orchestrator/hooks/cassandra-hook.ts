import { configError } from '../../core/errors.ts';
import { compileCassandraConfig, describeCassandra, type CassandraConfig, type CassandraConfigInput } from '../../engines/cassandra/cassandra-config.ts';
import type { CqlEngine } from '../../engines/cql-engine.ts';
import { extrasOf, textExtra, type HookConnection } from './connection.ts';
import { LazyEngine } from './lazy-engine.ts';

/**
 * conn_type cassandra: host = contact points (comma-separated, each host or host:port; port = the default port),
 * login/password, schema = the keyspace, extra.local_dc, replication, consistency (validated as the CLI's options).
 */
export function cassandraOptions(connection: HookConnection): CassandraConfig {
  if (connection.conn_type.toLowerCase() !== 'cassandra') throw configError(`the Cassandra hook takes a cassandra connection, not ${JSON.stringify(connection.conn_type)}`);
  const extras = extrasOf(connection);
  const points = (connection.host ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const withPort = points.map((p) => (connection.port && !/:\d+$/.test(p.replace(/^\[.*\]/, '')) ? `${p}:${connection.port}` : p));
  const raw: Partial<CassandraConfigInput> = {
    ...(withPort.length > 0 ? { contactPoints: withPort.join(',') } : {}),
    ...(connection.schema ? { keyspace: connection.schema } : {}),
    ...(connection.login ? { username: connection.login } : {}),
    ...(connection.password ? { password: connection.password } : {}),
  };
  for (const [field, name] of [['localDc', 'local_dc'], ['replication', 'replication'], ['consistency', 'consistency']] as const) {
    const value = textExtra(connection, extras, name);
    if (value !== undefined) raw[field] = value;
  }
  return compileCassandraConfig(raw);
}

/** A hook over Cassandra: the driver loads and the session connects on first use. */
export class CassandraHook extends LazyEngine<CqlEngine> {
  constructor(connection: HookConnection) {
    const config = cassandraOptions(connection);
    super(describeCassandra(config), async () => {
      const { openCqlEngine } = await import('../../engines/open-cql-engine.ts');
      return openCqlEngine(config);
    });
  }
}
