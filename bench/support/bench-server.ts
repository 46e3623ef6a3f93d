import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../scripts/servers/postgres-server.ts';

/** One throwaway PostgreSQL server per benchmark run, handing out fresh databases so runs never share state. */
export interface BenchServer {
  server: PostgresServer;
  /** A new empty database; `drop()` removes it (WITH (FORCE), so leftover connections do not block it). */
  freshDatabase(label: string): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * How a benchmark server trades durability for speed. 'fast' is the test servers' tuning (fsync and synchronous
 * commit off, minimal WAL). 'durable' puts back PostgreSQL's own defaults for durability, as on a stock install:
 * every commit waits for its WAL to reach the disk, which is what a row-at-a-time load in autocommit pays for.
 */
export type ServerDurability = 'fast' | 'durable';

const durableSettings = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', wal_level: 'replica', max_wal_senders: 10 };

export async function startBenchServer(durability: ServerDurability = 'fast'): Promise<BenchServer> {
  const server = await startPostgres(durability === 'durable' ? { settings: durableSettings } : {});
  return {
    server,
    async freshDatabase(label) {
      const name = `bench_${label.replace(/[^a-z0-9]+/g, '_')}_${randomBytes(3).toString('hex')}`;
      await adminQuery(server.url, `CREATE DATABASE ${name}`);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return { name, url: url.toString(), drop: () => adminQuery(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
    stop: () => server.stop(),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
