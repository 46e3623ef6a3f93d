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
   * trailer), which the server stores with far less work than the same rows as CSV, having no text to parse
   * (docs/decisions/2026-12-01-binary-copy-for-plays.md); not for DuckDB.
   */
  format?: 'csv' | 'binary';
  /**
   * Called with a byte chunk once the engine reads it no more, so that its memory can be reused (a worker thread
   * encodes its next chunk into it) instead of waiting for the collector. An engine may never call it.
   */
  released?: (chunk: Uint8Array) => void;
  /**
   * Threads the engine may use to load (DuckDB: its COPY statements; others ignore it). A caller whose own threads
   * produce the rows passes 1: DuckDB's parallel CSV reader costs much more CPU than one thread for little more speed, and
   * several parallel COPYs in one transaction leave row groups its next checkpoint rewrites
   * (docs/decisions/2026-12-01-duckdb-copy-one-thread-one-transaction.md).
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
  /**
   * The engine reading JSON objects itself (DuckDB's read_json), which the warehouse's direct read uses; absent on
   * engines that cannot. What only one engine can do is offered here, so that pipelines never ask which class it is.
   */
  readonly directJson?: DirectJsonReader;
  /**
   * Notifications between the processes sharing this database (a server's LISTEN/NOTIFY); absent on embedded engines,
   * whose database belongs to one process.
   */
  readonly notifications?: Notifications;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Makes this the only Sparkify load of the database (star and warehouse loads write the same tables), waiting as
   * `wait` says for one running elsewhere; until `tx` (the load's transaction) ends, or, without one, until the returned
   * release is called. An embedded engine already holds its database from open to close, and only resolves.
   */
  lockLoads(wait: LockWait, tx?: SqlSession): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** An engine that reads JSON objects itself, from local paths or (once `readS3` is done) from s3:// URLs. */
export interface DirectJsonReader {
  /** The engine's extension for reading S3 when it is installed, else undefined (then it reads local files only). */
  s3Extension(): string | undefined;
  /** Lets the engine read s3://`bucket` with the extension and these credentials. */
  readS3(extension: string, bucket: string, s3: { region: string; endpoint?: string }, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<void>;
  /** Runs `sql` (an INSERT … SELECT reading the objects), committed only if `check` resolves to undefined; else its reason. */
  insertChecked(sql: string, check: Promise<string | undefined>): Promise<{ rows: number } | { declined: string }>;
}

/** LISTEN/NOTIFY. A channel name is lower-case letters, digits and `_`, at most 63 bytes, not starting with a digit. */
export interface Notifications {
  /** A connection of its own that listens on `channels` until closed, reconnecting (and listening again) when lost. */
  listen(channels: readonly string[], handlers: NotificationHandlers): NotificationListener;
  /** Sends `payload` on `channel` to every listener (after the sender's transaction commits, if it is in one). */
  notify(channel: string, payload: string): Promise<void>;
}

export interface NotificationHandlers {
  notification: (channel: string, payload: string) => void;
  /**
   * Listening, on the first connection and again after each reconnection. What was sent while the listener was not
   * connected is lost: a caller that must not miss anything looks for itself here.
   */
  listening?: () => void;
  /** The connection lost, or a reconnection failed (told once per outage); it retries after `retryInMs`. */
  error?: (error: unknown, retryInMs: number) => void;
}

export interface NotificationListener {
  /** Stops listening and closes its connection (no reconnection after). */
  close(): Promise<void>;
}

/** How long a load waits for another load of the same database before SPK_E_LOCKED, and how it says it waits. */
export interface LockWait {
  ms: number;
  /** Called once, if the database is busy, with what it waits for. */
  waiting?: (what: string) => void;
}

/** Loads wait this long for another load of the same database: long enough for a big load to finish. */
export const loadLockWaitMs = 10 * 60 * 1000;

export type EngineKind = 'pglite' | 'postgres' | 'duckdb';
