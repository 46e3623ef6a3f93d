import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { inStep, SparkifyError } from '../../core/errors.ts';
import { binaryCopyHeader, binaryCopyTrailer, copyStatement } from '../identifiers.ts';
import type { CopyOptions, CsvChunk, LockWait, Notifications, SqlEngine, SqlSession } from '../engine.ts';
import { holdLoadLock, lockLoadsIn } from './load-lock.ts';
import { checkedChannel, PostgresListener } from './postgres-listener.ts';
import { postgresError } from './postgres-errors.ts';

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
  readonly concurrentTransactions: boolean;
  readonly notifications: Notifications;
  private readonly pool: pg.Pool;

  constructor(config: PostgresConfig) {
    const max = config.max ?? 4;
    this.concurrentTransactions = max > 1;
    this.pool = new pg.Pool({
      connectionString: checkedUrl(config.connectionString),
      max,
      application_name: config.applicationName ?? 'sparkify',
    });
    this.description = `postgres ${redact(config.connectionString)}`;
    // An idle pooled connection the server closed (restart, admin termination) must not crash the process:
    // the pool drops it and the next query opens a new one; a query in flight still gets its own error.
    this.pool.on('error', () => undefined);
    const applicationName = `${config.applicationName ?? 'sparkify'}-listener`;
    this.notifications = {
      listen: (channels, handlers) => new PostgresListener({ connectionString: checkedUrl(config.connectionString), applicationName, description: this.description, channels, handlers }),
      // pg_notify takes the channel as a value, so the payload (any text up to 8000 bytes) is a bound parameter.
      notify: async (channel, payload) => {
        await this.query('SELECT pg_notify($1, $2)', [checkedChannel(channel), payload]);
      },
    };
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return wrap(this.description, async () => (await this.pool.query(sql, params ? [...params] : undefined)).rows as R[]);
  }

  async exec(sql: string): Promise<void> {
    await wrap(this.description, () => this.pool.query(sql));
  }

  async copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number> {
    return this.withClient((client) => clientSession(client, this.description).copyCsv(table, columns, chunks, options));
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await wrap(this.description, () => client.query('BEGIN'));
      try {
        const result = await fn(clientSession(client, this.description));
        await inStep('commit', () => wrap(this.description, () => client.query('COMMIT')));
        return result;
      } catch (error) {
        // Roll back, but never let a rollback failure hide the error that caused it.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async lockLoads(wait: LockWait, tx?: SqlSession): Promise<() => Promise<void>> {
    if (tx === undefined) return holdLoadLock((fn) => this.withClient((client) => fn(clientSession(client, this.description))), this.description, wait);
    await lockLoadsIn(tx, this.description, wait, 'transaction');
    return async () => undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await inStep('connecting', () => wrap(this.description, () => this.pool.connect()));
    // A connection the server drops while it is checked out also emits 'error' (after failing the query in flight, whose
    // error is the one reported); unheard, that event would crash the process. Such a client is discarded, not pooled.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }
}

function clientSession(client: pg.PoolClient, where: string): SqlSession {
  return {
    query: <R>(sql: string, params?: readonly unknown[]) => wrap(where, async () => (await client.query(sql, params ? [...params] : undefined)).rows as R[]),
    exec: (sql) => wrap(where, async () => {
      await client.query(sql);
    }),
    copyCsv: (table, columns, chunks, options) => wrap(where, () => copyInto(client, table, columns, chunks, options)),
  };
}

async function copyInto(client: pg.PoolClient, table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number> {
  const binary = options?.format === 'binary';
  const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN', options?.format)));
  const framed = binary ? framedBinary(chunks) : chunks;
  const released = options?.released;
  if (released === undefined) {
    await pipeline(Readable.from(framed, { objectMode: false }), stream);
    return Number(stream.rowCount ?? 0);
  }
  // A chunk is released once the socket has written it out, known two ways, whichever comes first. The write's own
  // callback: pg-copy-streams does not ask for it, so the socket's write is wrapped for the length of the COPY and
  // adds it for the chunks lent here (known by their ArrayBuffer: the streams wrap a Uint8Array in a Buffer over the
  // same memory). And, when the next chunk is asked for, nothing queued anywhere between the source and the kernel
  // (a Writable counts a write until it has completed): writes the kernel took at once call back only on a later
  // tick, after a burst of them. The empty path alone would not do: when the server is the slower side the socket is
  // never empty (docs/decisions/2026-12-01-star-worker-memory-bounds.md).
  const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  const lent = new Map<ArrayBufferLike, Uint8Array>();
  const written = new Set<Uint8Array>();
  const give = (chunk: Uint8Array) => {
    if (written.delete(chunk)) released(chunk);
  };
  const write = socket.write;
  socket.write = function (this: Writable, chunk: unknown, ...rest: unknown[]): boolean {
    const own = chunk instanceof Uint8Array ? lent.get(chunk.buffer) : undefined;
    if (own === undefined) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    lent.delete(own.buffer);
    written.add(own);
    const callback = typeof rest.at(-1) === 'function' ? (rest.pop() as (error?: Error | null) => void) : undefined;
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest, (error?: Error | null) => {
      // A failed write fails the COPY: its chunk is not handed back (the load rolls back).
      if (!error) give(own);
      callback?.(error);
    });
  } as Writable['write'];
  const drained = () => source.readableLength === 0 && stream.writableLength === 0 && socket.writableLength === 0;
  async function* lend(): AsyncGenerator<CsvChunk> {
    for await (const chunk of framed) {
      if (written.size > 0 && drained()) for (const done of [...written]) give(done);
      if (typeof chunk !== 'string' && chunk !== binaryCopyHeader && chunk !== binaryCopyTrailer) lent.set(chunk.buffer, chunk);
      yield chunk;
    }
  }
  const source = Readable.from(lend(), { objectMode: false });
  try {
    await pipeline(source, stream);
  } finally {
    socket.write = write;
  }
  for (const done of [...written]) give(done);
  return Number(stream.rowCount ?? 0);
}

/** Binary COPY rows between the stream's header and trailer. */
async function* framedBinary(chunks: AsyncIterable<CsvChunk>): AsyncGenerator<CsvChunk> {
  yield binaryCopyHeader;
  yield* chunks;
  yield binaryCopyTrailer;
}

/** The driver's and the server's errors, typed (postgres-errors.ts); anything else is a bug and passes untouched. */
async function wrap<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw postgresError(cause, where);
  }
}

/**
 * The connection string, checked before the driver sees it (its own parse throws a bare TypeError). node-postgres
 * treats sslmode prefer, require and verify-ca as verify-full and says so in an eight-line warning on every run; the
 * same mode, named, keeps that warning from burying the run's own output.
 */
function checkedUrl(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new SparkifyError('SPK_E_CONFIG', `${redact(connectionString)} is not a valid postgres://user@host:port/database URL (a port is a number up to 65535)`);
  }
  const mode = url.searchParams.get('sslmode');
  if (mode !== null && ['prefer', 'require', 'verify-ca'].includes(mode) && !url.searchParams.has('uselibpqcompat')) {
    url.searchParams.set('sslmode', 'verify-full');
    return url.toString();
  }
  return connectionString;
}

/** Connection strings are shown without their password. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // Not a URL: keep the scheme and what follows the last @, which is where any password ends.
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(connectionString)?.[0];
    if (scheme === undefined) return '(unparseable connection string)';
    const at = connectionString.lastIndexOf('@');
    return at < 0 ? connectionString : `${scheme}***@${connectionString.slice(at + 1)}`;
  }
}
