import type { Command } from 'commander';
import { compileCassandraConfig, type CassandraConfig } from '../engines/cassandra/cassandra-config.ts';
import { configError } from '../core/errors.ts';

/** The connection flags every Cassandra command that reaches a cluster accepts (flag > environment > default). */
const cassandraFlags = [
  ['--contact-points <list>', 'host[:port],… of the cluster (default: $SPARKIFY_CASSANDRA_CONTACT_POINTS, else 127.0.0.1:9042)'],
  ['--local-dc <name>', 'the data center the driver treats as local (default: $SPARKIFY_CASSANDRA_LOCAL_DC, else datacenter1)'],
  ['--keyspace <name>', 'keyspace of the query tables (default: $SPARKIFY_CASSANDRA_KEYSPACE, else sparkify)'],
  ['--replication <spec>', 'for a new keyspace: SimpleStrategy:<n> or NetworkTopologyStrategy:<dc>=<n>,… ' +
    '(default: $SPARKIFY_CASSANDRA_REPLICATION, else SimpleStrategy:1)'],
  ['--consistency <level>', 'ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM, ALL, … (default: $SPARKIFY_CASSANDRA_CONSISTENCY, else LOCAL_QUORUM)'],
  ['--username <name>', 'user for PasswordAuthenticator; the password only from $SPARKIFY_CASSANDRA_PASSWORD (default: $SPARKIFY_CASSANDRA_USERNAME)'],
  ['--concurrency <n>', 'requests in flight while loading (default 64)'],
  ['--retries <n>', 'retries of a timed-out request before giving up (default 5)'],
  ['--timeout-ms <ms>', 'client-side timeout of one request (default 12000)'],
] as const;

export function addCassandraFlags(command: Command): Command {
  for (const [flag, help] of cassandraFlags) command.option(flag, help);
  return command;
}

export interface CassandraFlagValues {
  contactPoints?: string;
  localDc?: string;
  keyspace?: string;
  replication?: string;
  consistency?: string;
  username?: string;
  concurrency?: string;
  retries?: string;
  timeoutMs?: string;
}

/**
 * Flags, then SPARKIFY_CASSANDRA_* variables, then defaults, validated in one place. The password is read from the
 * environment only: a flag would show it to every user of the machine in the process list.
 */
export function compileCassandraFlags(raw: CassandraFlagValues, env: NodeJS.ProcessEnv = process.env): CassandraConfig {
  const username = raw.username ?? env.SPARKIFY_CASSANDRA_USERNAME;
  const password = env.SPARKIFY_CASSANDRA_PASSWORD;
  if (password && !username) throw configError('SPARKIFY_CASSANDRA_PASSWORD is set but no user: pass --username or set SPARKIFY_CASSANDRA_USERNAME');
  return compileCassandraConfig({
    contactPoints: raw.contactPoints ?? env.SPARKIFY_CASSANDRA_CONTACT_POINTS,
    localDc: raw.localDc ?? env.SPARKIFY_CASSANDRA_LOCAL_DC,
    keyspace: raw.keyspace ?? env.SPARKIFY_CASSANDRA_KEYSPACE,
    replication: raw.replication ?? env.SPARKIFY_CASSANDRA_REPLICATION,
    consistency: raw.consistency ?? env.SPARKIFY_CASSANDRA_CONSISTENCY,
    username: username || undefined,
    password: password || undefined,
    concurrency: raw.concurrency,
    retries: raw.retries,
    timeoutMs: raw.timeoutMs,
  });
}
