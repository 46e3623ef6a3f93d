import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { SparkifyError } from '../../core/errors.ts';
import { binaryCopyHeader, binaryCopyTrailer, copyStatement } from '../identifiers.ts';
import type { CopyOptions, CsvChunk, LockWait, SqlEngine, SqlSession } from '../engine.ts';
import { lockDirectory } from './directory-lock.ts';
import { pgliteError } from './pglite-errors.ts';

/** COPY input is handed to PGlite in blobs of about this many characters (or bytes), bounding memory at any size. */
const blobChars = 8 * 1024 * 1024;

type Runner = Pick<Transaction, 'query' | 'exec'>;

/** The embedded engine: Postgres compiled to WebAssembly, persisted in a directory (or in memory). */
export class PgliteEngine implements SqlEngine {
  readonly kind = 'pglite' as const;
  readonly concurrentTransactions = false;
  readonly description: string;
  private readonly db: PGlite;
  private readonly unlock: () => void;

  private constructor(db: PGlite, description: string, unlock: () => void) {
    this.db = db;
    this.description = description;
    this.unlock = unlock;
  }

  /**
   * `dataDir` undefined = in memory. A directory is this process's alone until close (directory-lock.ts): opening one
   * that another process holds waits up to `wait.ms` (default: not at all), then fails with SPK_E_LOCKED.
   */
  static async open(dataDir?: string, wait: LockWait = { ms: 0 }): Promise<PgliteEngine> {
    // Locked before the directory is looked at: another process may be creating a database in it.
    const unlock = dataDir === undefined ? () => undefined : await lockDirectory(dataDir, wait);
    try {
      if (dataDir !== undefined) refuseForeignDirectory(dataDir);
      if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
      const db = await PGlite.create(dataDir === undefined ? undefined : { dataDir });
      return new PgliteEngine(db, dataDir === undefined ? 'pglite (in memory)' : `pglite ${dataDir}`, unlock);
    } catch (cause) {
      unlock();
      if (cause instanceof SparkifyError) throw cause;
      throw new SparkifyError('SPK_E_ENGINE', `cannot open the embedded database${dataDir ? ` in ${dataDir}` : ''}`, { cause });
    }
  }

  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.typed(() => runQuery<R>(this.db, sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.typed(() => runExec(this.db, sql));
  }

  copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number> {
    return this.typed(() => runCopy(this.db, table, columns, chunks, options?.format));
  }

  /** The engine's errors typed once, here (pglite-errors.ts). */
  private async typed<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      throw pgliteError(cause, this.description);
    }
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      fn({
        query: (sql, params) => this.typed(() => runQuery(tx, sql, params)),
        exec: (sql) => this.typed(() => runExec(tx, sql)),
        copyCsv: (table, columns, chunks, options) => this.typed(() => runCopy(tx, table, columns, chunks, options?.format)),
      }),
    );
  }

  async lockLoads(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.unlock();
    }
  }
}

/** PGlite would write a database's files among anyone's: a directory in use for something else is refused. */
function refuseForeignDirectory(dataDir: string): void {
  const isDir = existsSync(dataDir) && statSync(dataDir).isDirectory();
  if (isDir && readdirSync(dataDir).length > 0 && !existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new SparkifyError('SPK_E_CONFIG', `${dataDir} is a directory that holds something other than a PGlite database (no PG_VERSION): ` +
      'name a new or empty directory, or a postgres:// URL, with --db');
  }
}

async function runQuery<R>(db: Runner, sql: string, params?: readonly unknown[]): Promise<R[]> {
  const result = await db.query<R>(sql, params ? [...params] : undefined);
  return result.rows;
}

async function runExec(db: Runner, sql: string): Promise<void> {
  await db.exec(sql);
}

async function runCopy(db: Runner, table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, format: 'csv' | 'binary' = 'csv'): Promise<number> {
  const statement = copyStatement(table, columns, `'/dev/blob'`, format);
  let parts: CsvChunk[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (size === 0) return;
    // Binary rows make a COPY stream of their own in each blob: header, rows, trailer.
    const result = await db.query(statement, [], { blob: new Blob(format === 'binary' ? [binaryCopyHeader, ...parts, binaryCopyTrailer] : parts) });
    rows += result.affectedRows ?? 0;
    parts = [];
    size = 0;
  };
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= blobChars) await flush();
  }
  await flush();
  return rows;
}
