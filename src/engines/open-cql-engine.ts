import type { CassandraConfig } from './cassandra/cassandra-config.ts';
import type { CqlEngine, RequestObserver } from './cql-engine.ts';

/** Connects to the cluster the config names. The driver loads lazily, so other commands never pay for it. */
export async function openCqlEngine(config: CassandraConfig, observer?: RequestObserver): Promise<CqlEngine> {
  const { CassandraEngine } = await import('./cassandra/cassandra-engine.ts');
  return CassandraEngine.open(config, observer);
}
