import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SparkifyError } from '../../core/errors.ts';
import { copyStatement } from '../identifiers.ts';
import type { CopyOptions, CsvChunk, SqlEngine, SqlSession } from '../engine.ts';

/** The slice of pg.Pool options the platform uses. */
export interface PostgresConfig {
  connectionString: string;
  max?: number;
  applicationName?: string;
}

/** A real PostgreSQL server (or anything speaking its protocol) through node-postgres. */
export class PostgresEngine implements SqlEngine {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly pool: pg.Pool;

  constructor(config: PostgresConfig) {
    this.pool = new pg.Pool({
      connectionString: config.connectionString,
      max: config.max ?? 4,
      application_name: config.applicationName ?? 'sparkify',
    });
    this.description = `postgres ${redact(config.connectionString)}`;
    // An idle pooled connection the server closed (restart, admin termination) must not crash the process:
    // the pool drops it and the next query opens a new one; a query in flight still gets its own error.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return wrap(this.description, async () => (await this.pool.query(sql, params ? [...params] : undefined)).rows as R[]);
  }

  async exec(sql: string): Promise<void> {
    await wrap(this.description, () => this.pool.query(sql));
  }

  async copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number> {
    return this.withClient((client) => clientSession(client).copyCsv(table, columns, chunks, options));
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await fn(clientSession(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // Roll back, but never let a rollback failure hide the error that caused it.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await wrap(this.description, () => this.pool.connect());
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }
}

function clientSession(client: pg.PoolClient): SqlSession {
  return {
    query: async <R>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params ? [...params] : undefined)).rows as R[],
    exec: async (sql) => {
      await client.query(sql);
    },
    copyCsv: async (table, columns, chunks, options) => {
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      const released = options?.released;
      // A chunk is released only when nothing is queued anywhere between the source and the kernel: the source
      // stream's buffer, the COPY stream's, and the socket's (a Writable counts a write until it has completed, so an
      // empty socket holds no reference to any chunk written before). Checked each time a chunk is asked for, and
      // for the rest once the COPY has ended.
      const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
      const lent: Uint8Array[] = [];
      const drained = () => source.readableLength === 0 && stream.writableLength === 0 && socket.writableLength === 0;
      async function* lend(): AsyncGenerator<CsvChunk> {
        for await (const chunk of chunks) {
          if (lent.length > 0 && drained()) for (const done of lent.splice(0)) released!(done);
          if (typeof chunk !== 'string') lent.push(chunk);
          yield chunk;
        }
      }
      const source = Readable.from(released === undefined ? chunks : lend(), { objectMode: false });
      await pipeline(source, stream);
      for (const done of lent.splice(0)) released?.(done);
      return Number(stream.rowCount ?? 0);
    },
  };
}

async function wrap<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const connection = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P01' || code === 'ECONNRESET';
    if (!connection) throw cause;
    throw new SparkifyError('SPK_E_ENGINE', `cannot reach ${where}`, { cause, retryable: true });
  }
}

/** Connection strings are shown without their password. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable connection string)';
  }
}
