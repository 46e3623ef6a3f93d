/**
 * The small interface every SQL engine of the star schema implements (embedded PGlite, a real Postgres
 * server, the embedded DuckDB warehouse). Pipeline code asks this interface; only the engine folders import a driver.
 */
export interface SqlSession {
  /** One statement with bound parameters ($1, $2, …). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** One or more statements without parameters (DDL, scripts). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk-loads CSV text (no header; NULL as an unquoted empty cell) into `table (columns)` with COPY.
   * `chunks` is consumed as a stream, as strings or UTF-8 bytes; returns the number of rows copied.
   */
  copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<CsvChunk>, options?: CopyOptions): Promise<number>;
}

export interface CopyOptions {
  /**
   * 'csv' (the default): CSV text. 'binary': PostgreSQL's binary COPY rows (the engine adds the stream's header and
   * trailer), which the server takes in about half the time of the same rows as CSV; not for DuckDB.
   */
  format?: 'csv' | 'binary';
  /**
   * Called with a byte chunk once the engine reads it no more, so that its memory can be reused (a worker thread
   * encodes its next chunk into it) instead of waiting for the collector. An engine may never call it.
   */
  released?: (chunk: Uint8Array) => void;
  /**
   * Threads the engine may use to load (DuckDB: its COPY statements; others ignore it). A caller whose own threads
   * produce the rows passes 1: DuckDB's parallel CSV reader costs about half again the CPU of one thread and loads
   * barely faster, and several parallel COPYs in one transaction leave row groups its next checkpoint rewrites.
   */
  threads?: number;
}

/** CSV text for COPY: a string, or its UTF-8 bytes (what a worker thread hands over without a copy). */
export type CsvChunk = string | Uint8Array;

export interface SqlEngine extends SqlSession {
  readonly kind: EngineKind;
  /** Human-readable location, never including credentials. */
  readonly description: string;
  /**
   * Whether transactions may run at once, each on a connection of its own (a server with a pool of them), rather than
   * one at a time (an embedded engine's one connection). The star load then builds `time` beside the fact table.
   */
  readonly concurrentTransactions: boolean;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type EngineKind = 'pglite' | 'postgres' | 'duckdb';
