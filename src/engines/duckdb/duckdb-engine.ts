import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SparkifyError } from '../../core/errors.ts';
import { columnList, ident } from '../identifiers.ts';
import type { CopyOptions, CsvChunk, DirectJsonReader, LockWait, SqlEngine, SqlSession } from '../engine.ts';
import { duckdbError } from './duckdb-errors.ts';
import { openInstance } from './open-instance.ts';
import { installedHttpfs } from './httpfs.ts';

/** About 64 MB of CSV per COPY segment. */
const segmentChars = 64 * 1024 * 1024;

export interface DuckDbConfig {
  /** Database file; undefined = in memory. */
  path?: string;
  /** Worker threads (default: DuckDB's, one per core). */
  threads?: number;
  /** Where COPY input is spooled (default: the OS temp dir). */
  spoolDir?: string;
  /** CSV characters per COPY segment (default about 64 MB). */
  segmentChars?: number;
  /** How long to wait for a file another process has open (DuckDB's own lock) before SPK_E_LOCKED (default: not at all). */
  wait?: LockWait;
}

/**
 * The embedded warehouse: DuckDB through @duckdb/node-api. One connection, used by one statement at a time
 * (calls queue up); transactions are BEGIN/COMMIT on it. DuckDB cannot COPY from a client stream, so copyCsv
 * spools the CSV to temp files in bounded memory and runs DuckDB's own parallel CSV COPY over them; outside a
 * transaction, in a transaction of its own on a second connection (its statements still queue with the others).
 */
export class DuckDbEngine implements SqlEngine, DirectJsonReader {
  readonly kind = 'duckdb' as const;
  readonly concurrentTransactions = false;
  /** read_json: the warehouse's direct read (fastpath/warehouse/direct-load.ts). */
  readonly directJson: DirectJsonReader = this;
  readonly description: string;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  private readonly spoolDir: string;
  private readonly segmentChars: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** The instance's own thread count, restored after a COPY that asked for fewer. */
  private readonly threads: number;

  private constructor(threads: number, instance: DuckDBInstance, connection: DuckDBConnection, description: string, spoolDir: string, segmentChars: number) {
    this.segmentChars = segmentChars;
    this.threads = threads;
    this.instance = instance;
    this.connection = connection;
    this.description = description;
    this.spoolDir = spoolDir;
  }

  static async open(config: DuckDbConfig = {}): Promise<DuckDbEngine> {
    try {
      if (config.path !== undefined) await mkdir(dirname(config.path), { recursive: true });
      const instance = await openInstance(config.path ?? ':memory:', config.threads ? { threads: String(config.threads) } : {}, config.wait ?? { ms: 0 });
      const connection = await instance.connect();
      const threads = Number((await connection.runAndReadAll("SELECT current_setting('threads') AS n")).getRowObjectsJS()[0]?.n ?? 1);
      return new DuckDbEngine(threads, instance, connection, `duckdb ${config.path ?? '(in memory)'}`, config.spoolDir ?? tmpdir(), config.segmentChars ?? segmentChars);
    } catch (cause) {
      if (cause instanceof SparkifyError) throw cause;
      throw new SparkifyError('SPK_E_ENGINE', `cannot open the DuckDB database${config.path ? ` ${config.path}` : ''}`, { cause });
    }
  }

  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.serial(() => this.session.query<R>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.serial(() => this.session.exec(sql));
  }

  /**
   * Outside a transaction a copyCsv is a transaction of its own, on a connection of its own: its segments land
   * together or not at all, and DuckDB stores them as one append, with no partial row groups for the next checkpoint
   * to rewrite (docs/decisions/2026-12-01-duckdb-copy-one-thread-one-transaction.md). Only the COPY statements queue
   * with the engine's others, not the spooling between them, so several copyCsv calls at once (two staging tables)
   * interleave their segments instead of waiting for each other.
   */
  copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number> {
    return this.ownTransaction((connection) => this.spooledCopy(connection, table, columns, chunks, options, (statements) => this.serial(statements)));
  }

  /**
   * An INSERT … SELECT that reads its input itself (read_json), in a transaction of its own on a connection of its own
   * as copyCsv is, committed only if `check` (which runs meanwhile) then resolves to undefined; otherwise rolled back,
   * with the check's reason (the statement is interrupted if it is still running). Returns the rows inserted.
   */
  s3Extension(): string | undefined {
    return installedHttpfs();
  }

  async insertChecked(sql: string, check: Promise<string | undefined>): Promise<{ rows: number } | { declined: string }> {
    // Awaited below, or left behind when the statement fails first: never an unhandled rejection.
    check.catch(() => undefined);
    let declined: string | undefined;
    try {
      return await this.ownTransaction(async (connection) => {
        // A check that fails early stops the statement rather than letting it read everything for nothing.
        let done = false;
        void check.then((problem) => {
          if (problem === undefined || done) return;
          declined = problem;
          connection.interrupt();
        }, (error: unknown) => {
          if (done) return;
          declined = `the check failed: ${error instanceof Error ? error.message : String(error)}`;
          connection.interrupt();
        });
        const reader = await this.serial(async () => {
          // Failed while the statement waited its turn: an interrupt then would have found nothing to stop.
          if (declined !== undefined) throw new Error(declined);
          return connection.runAndReadAll(sql);
        }).finally(() => (done = true));
        declined = await check;
        if (declined !== undefined) throw new Error(declined);
        return { rows: Number(reader.rowsChanged) };
      });
    } catch (error) {
      // Rolled back because the check failed (its reason, not DuckDB's "Interrupted" when it stopped the statement).
      if (declined !== undefined) return { declined };
      throw error;
    }
  }

  /**
   * `fn` on a connection of its own, in a transaction of its own: committed when it resolves (the COMMIT queued with the
   * engine's statements), rolled back when it throws.
   */
  private async ownTransaction<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    try {
      await connection.run('BEGIN TRANSACTION');
      const result = await fn(connection);
      await this.serial(() => connection.run('COMMIT'));
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw duckdbError(error, this.description);
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Lets DuckDB read s3://`bucket` itself: loads the httpfs extension from `extension` (once) and keeps the bucket's
   * endpoint and credentials in a temporary secret scoped to it (in memory, never in a file). Any failure says which
   * bucket and nothing of the statement, which holds the secret.
   */
  async readS3(extension: string, bucket: string, s3: { region: string; endpoint?: string }, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<void> {
    const text = (v: string) => `'${v.replaceAll("'", "''")}'`;
    const endpoint = s3.endpoint === undefined ? undefined : new URL(s3.endpoint);
    const options = [
      'TYPE s3', `KEY_ID ${text(credentials.accessKeyId)}`, `SECRET ${text(credentials.secretAccessKey)}`, `REGION ${text(s3.region)}`,
      ...(credentials.sessionToken ? [`SESSION_TOKEN ${text(credentials.sessionToken)}`] : []),
      // An S3-compatible server is addressed path-style, as this process's own client does.
      ...(endpoint ? [`ENDPOINT ${text(endpoint.host)}`, "URL_STYLE 'path'", `USE_SSL ${endpoint.protocol === 'https:'}`] : []),
      `SCOPE ${text(`s3://${bucket}`)}`,
    ];
    const name = `sparkify_s3_${createHash('sha256').update(bucket).digest('hex').slice(0, 16)}`;
    try {
      // Never a download from DuckDB's extension repository (which this machine cannot reach): the file given. And no
      // cache of what is read from S3: every object is read once, and the cache only kept a copy of each in DuckDB's
      // memory (docs/decisions/2026-12-01-duckdb-direct-read.md).
      await this.exec(`SET autoinstall_known_extensions = false; SET enable_external_file_cache = false; LOAD ${text(extension)}`);
      await this.exec(`CREATE OR REPLACE TEMPORARY SECRET ${name} (${options.join(', ')})`);
    } catch {
      throw new SparkifyError('SPK_E_ENGINE', `DuckDB cannot be set up to read s3://${bucket} (httpfs extension ${extension})`);
    }
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(this.session);
        await this.connection.run('COMMIT');
        return result;
      } catch (error) {
        // Roll back, but never let a rollback failure hide the error that caused it; and put back the thread count a
        // failed COPY in the transaction could not (its SET was refused).
        await this.connection.run('ROLLBACK').catch(() => undefined);
        await this.connection.run(`SET threads = ${this.threads}`).catch(() => undefined);
        throw error;
      }
    });
  }

  /** The file is this process's from open to close (DuckDB's own lock): nothing more to take. */
  async lockLoads(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Direct access to the connection, for code already holding the queue (a transaction's session). */
  private readonly session: SqlSession = {
    query: async <R>(sql: string, params?: readonly unknown[]) => {
      const reader = await this.connection.runAndReadAll(sql, params ? ([...params] as never) : undefined);
      return reader.getRowObjectsJS().map(plainRow) as R[];
    },
    exec: async (sql) => {
      await this.connection.run(sql);
    },
    copyCsv: (table, columns, chunks, options) => this.spooledCopy(this.connection, table, columns, chunks, options, (statements) => statements()),
  };

  /** copyCsv: the CSV spooled to segment files, each COPYed by `run` (queued, or direct inside a transaction). */
  private async spooledCopy(connection: DuckDBConnection, table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options: CopyOptions | undefined,
    run: <T>(statements: () => Promise<T>) => Promise<T>): Promise<number> {
    if (options?.format === 'binary') throw new Error('DuckDB takes no PostgreSQL binary COPY: use CSV');
    const dir = await mkdtemp(join(this.spoolDir, 'sparkify-duckdb-copy-'));
    // The CSV is spooled in segments; each finished segment is COPYed by DuckDB's threads while the next one is
    // being written, so parsing in JS and loading in DuckDB overlap. One COPY runs at a time.
    let copying: Promise<number> = Promise.resolve(0);
    let rows = 0;
    const load = (file: string) => {
      const previous = copying;
      copying = previous.then(async (n) => {
        rows += n;
        const copy = `COPY ${ident(table)} (${columnList(columns)}) FROM '${file.replaceAll("'", "''")}' ` +
          // Quoted "" stays an empty string; only an unquoted empty cell is NULL (as in Postgres COPY csv).
          `(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '', allow_quoted_nulls false)`;
        // The thread setting is the instance's: set for this statement and put back, in the same turn of the queue, on
        // the engine's own connection (a COPY on its own connection that fails aborts that one's transaction, which
        // would refuse the SET; inside engine.transaction the rollback puts it back).
        const reader = await run(async () => {
          // Every segment, the last ones too: with more threads, the segments of one transaction left row groups that
          // the next checkpoint (the transform's commit) rewrote; on one thread they stay as written
          // (docs/decisions/2026-12-01-duckdb-copy-one-thread-one-transaction.md).
          const threads = options?.threads;
          if (threads === undefined) return connection.runAndReadAll(copy);
          await this.connection.run(`SET threads = ${Math.max(1, Math.floor(threads))}`);
          let failed = true;
          try {
            const result = await connection.runAndReadAll(copy);
            failed = false;
            return result;
          } finally {
            // Never in place of the COPY's own error.
            await this.connection.run(`SET threads = ${this.threads}`).catch((error: unknown) => {
              if (!failed) throw error;
            });
          }
        });
        await rm(file, { force: true });
        return Number(reader.rowsChanged);
      });
      // A failed COPY is reported when awaited below; until then it must not count as unhandled.
      copying.catch(() => undefined);
    };
    try {
      let segment = 0;
      let out: WriteStream | undefined;
      let written = 0;
      const close = async () => {
        if (!out) return;
        const file = out.path as string;
        out.end();
        await once(out, 'close');
        out = undefined;
        load(file);
      };
      for await (const chunk of chunks) {
        if (!out) {
          out = createWriteStream(join(dir, `${ident(table)}-${segment++}.csv`), { highWaterMark: 4 * 1024 * 1024 });
          written = 0;
        }
        if (!out.write(chunk)) await once(out, 'drain');
        written += chunk.length;
        if (written >= this.segmentChars) await close();
      }
      await close();
      // Not `rows += await copying`: that would read `rows` before the earlier segments added to it.
      const last = await copying;
      return rows + last;
    } finally {
      await copying.catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    // Every statement passes here (a transaction's too), so DuckDB's errors are typed once, here.
    return run.catch((cause: unknown) => {
      throw duckdbError(cause, this.description);
    });
  }
}

/** BIGINT results (count(*), sums) come back as numbers when exact, so callers see the same types as from pg casts. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) row[key] = Number(value);
  }
  return row;
}
