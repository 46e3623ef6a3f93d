import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CassandraConfig, Replication } from '../../engines/cassandra/cassandra-config.ts';

const dir = join(import.meta.dirname, 'cql');
const cache = new Map<string, string>();

/** A CQL file under ./cql (`tables/…`, `inserts/…`, `queries/…`), read once. */
export function cqlFile(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(join(dir, `${path}.cql`), 'utf8').trim();
    cache.set(path, text);
  }
  return text;
}

/**
 * keyspace.cql with the configured name and replication. These are identifiers and a map literal, which CQL
 * cannot bind; both come from the validated config (a lower-case identifier; data center names of
 * [A-Za-z0-9_.-]), so nothing a user types as data reaches this text.
 */
export function keyspaceCql(config: Pick<CassandraConfig, 'keyspace' | 'replication'>): string {
  return cqlFile('keyspace').replace(':keyspace', config.keyspace).replace(':replication', replicationMap(config.replication));
}

export function replicationMap(r: Replication): string {
  if (r.class === 'SimpleStrategy') return `{'class': 'SimpleStrategy', 'replication_factor': ${r.replicationFactor}}`;
  const dcs = Object.entries(r.dataCenters).map(([dc, n]) => `'${dc}': ${n}`);
  return `{'class': 'NetworkTopologyStrategy', ${dcs.join(', ')}}`;
}
