import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { after } from 'node:test';
import cassandra from 'cassandra-driver';
import { compileCassandraConfig, type CassandraConfig, type CassandraConfigInput } from '../../src/engines/cassandra/cassandra-config.ts';
import type { DatabaseOwner } from './postgres.ts';

/**
 * Per-file keyspaces on the Cassandra node that `npm test` (scripts/test.ts) starts and announces in
 * SPARKIFY_TEST_CASSANDRA (contact point) and SPARKIFY_TEST_CASSANDRA_DC (its data center). Without it, CI=true
 * fails the test; elsewhere the test is skipped with a loud message.
 */
export const contactPointVariable = 'SPARKIFY_TEST_CASSANDRA';
export const dataCenterVariable = 'SPARKIFY_TEST_CASSANDRA_DC';

export interface TestKeyspace {
  contactPoint: string;
  localDataCenter: string;
  /** A fresh name, `t_<file>_<random>`; created (SimpleStrategy, one replica) unless `create: false`. */
  keyspace: string;
  /** Drops the keyspace (idempotent; also runs after the owner ends). */
  drop(): Promise<void>;
}

export const cassandraAvailable = (): boolean => Boolean(process.env[contactPointVariable]);

export async function testKeyspace(owner: DatabaseOwner, options: { name?: string; create?: boolean } = {}): Promise<TestKeyspace | undefined> {
  const contactPoint = process.env[contactPointVariable];
  if (!contactPoint) {
    const message = `Cassandra tests need ${contactPointVariable} (run them with \`npm test\`, which starts a node)`;
    if (process.env.CI === 'true') throw new Error(message);
    process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
    owner.skip?.call(owner, message);
    return undefined;
  }
  const localDataCenter = process.env[dataCenterVariable] ?? 'datacenter1';
  const keyspace = keyspaceName(options.name ?? fileLabel(owner));
  // Registered before the first await so that a suite's `after` lands in the suite being defined.
  let dropping: Promise<void> | undefined;
  const drop = () => (dropping ??= adminCql(contactPoint, localDataCenter, `DROP KEYSPACE IF EXISTS ${keyspace}`));
  if (owner.after) owner.after.call(owner, drop);
  else after(drop);
  if (options.create ?? true) {
    await adminCql(contactPoint, localDataCenter,
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  }
  return { contactPoint, localDataCenter, keyspace, drop };
}

/** `t_<label>_<random>`: lower-case, at most 48 characters (Cassandra's limit for keyspace names). */
export function keyspaceName(label: string): string {
  const suffix = randomBytes(4).toString('hex');
  const maxSlug = 48 - 't_'.length - '_'.length - suffix.length;
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, maxSlug).replace(/_+$/, '');
  const name = `t_${slug || 'ks'}_${suffix}`;
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(name)) throw new Error(`invalid keyspace name ${JSON.stringify(name)}`);
  return name;
}

/** A short-lived driver client on the test node, shut down after `use`. */
export async function withCassandraClient<T>(contactPoint: string, localDataCenter: string,
  use: (client: cassandra.Client) => Promise<T>): Promise<T> {
  const client = new cassandra.Client({ contactPoints: [contactPoint], localDataCenter });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.shutdown();
  }
}

function fileLabel(owner: DatabaseOwner): string {
  if (owner.filePath) return basename(owner.filePath).replace(/\.test\.[cm]?[jt]s$|\.[cm]?[jt]s$/, '');
  return owner.name ?? 'ks';
}

const adminCql = (contactPoint: string, localDataCenter: string, cql: string) =>
  withCassandraClient(contactPoint, localDataCenter, async (client) => {
    await client.execute(cql);
  });

/** The platform's validated config for a test keyspace, as a user's flags would give it. */
export function cassandraConfigFor(ks: TestKeyspace, overrides: Partial<CassandraConfigInput> = {}): CassandraConfig {
  return compileCassandraConfig({ contactPoints: ks.contactPoint, localDc: ks.localDataCenter, keyspace: ks.keyspace, ...overrides });
}
