import { listFiles } from '../../datasets/list-files.ts';
import type { CassandraConfig } from '../../engines/cassandra/cassandra-config.ts';
import { describeCassandra } from '../../engines/cassandra/cassandra-config.ts';
import { keyspaceCql } from './cql-files.ts';
import { queryTable, tableNames, type TableName } from './query-tables.ts';
import type { PlaySource } from './read-plays.ts';
import { defaultBatchLimits, type BatchLimits } from './write-statements.ts';

/** Everything a Cassandra load will do, as plain data: printable (--dry-run) and assertable in tests. */
export interface CassandraLoadPlan {
  target: string;
  source: PlaySource;
  rejectsFile: string;
  keyspace: { name: string; cql: string };
  /** Created in this order (IF NOT EXISTS), then written from every play. */
  tables: { name: TableName; ddl: string; insert: string }[];
  write: {
    consistency: string;
    concurrency: number;
    maxRetries: number;
    requestTimeoutMs: number;
    /** Plays turned into statements at a time; the next window is read while the previous one is written. */
    windowPlays: number;
    batch: BatchLimits;
  };
}

export interface CassandraLoadRequest {
  source: { kind: 'events' | 'logs'; root: string };
  config: CassandraConfig;
  rejectsFile: string;
  /** Default: all five query tables. */
  tables?: readonly TableName[];
  windowPlays?: number;
  batch?: BatchLimits;
}

/** Lists the inputs (failing clearly on unreadable or empty ones) and lays out the load; touches no cluster. */
export async function planCassandraLoad(request: CassandraLoadRequest): Promise<CassandraLoadPlan> {
  const { config } = request;
  const files = await listFiles(request.source.root, request.source.kind === 'events' ? '.csv' : '.json');
  return {
    target: describeCassandra(config),
    source: { ...request.source, files },
    rejectsFile: request.rejectsFile,
    keyspace: { name: config.keyspace, cql: keyspaceCql(config) },
    tables: (request.tables ?? tableNames).map((name) => {
      const t = queryTable(name);
      return { name, ddl: t.ddl, insert: t.insert };
    }),
    write: {
      consistency: config.consistency,
      concurrency: config.concurrency,
      maxRetries: config.maxRetries,
      requestTimeoutMs: config.requestTimeoutMs,
      windowPlays: request.windowPlays ?? 4000,
      batch: request.batch ?? defaultBatchLimits,
    },
  };
}

/** The plan as text a person can read and paste into cqlsh: the DDL, then how every play is written. */
export function formatCassandraPlan(plan: CassandraLoadPlan): string {
  const w = plan.write;
  const lines = [
    `-- target: ${plan.target}`,
    `-- input: ${plan.source.files.length} ${plan.source.kind === 'events' ? 'event CSV' : 'JSON log'} files under ${plan.source.root}`,
    `-- rejects: ${plan.rejectsFile}`,
    '',
    plan.keyspace.cql,
    `USE ${plan.keyspace.name};`,
  ];
  for (const t of plan.tables) lines.push('', `${t.ddl.replace(/;?\s*$/, '')};`);
  lines.push('', `-- Then, for every play (a NextSong event), one prepared INSERT per table, values bound:`);
  for (const t of plan.tables) lines.push(`${t.insert};`);
  lines.push(
    '',
    `-- Writes go ${w.windowPlays.toLocaleString('en-US')} plays at a time, at most ${w.concurrency} requests in flight, ` +
      `consistency ${w.consistency}.`,
    `-- Rows of one partition within a window share an UNLOGGED batch (at most ${w.batch.maxRows} rows, ~${w.batch.maxBytes} bytes);`,
    '-- never across partitions.',
    `-- A request that times out is retried up to ${w.maxRetries} times (client timeout ${w.requestTimeoutMs} ms); ` +
      'every write is idempotent, so a re-run leaves the same rows.',
  );
  return `${lines.join('\n')}\n`;
}
