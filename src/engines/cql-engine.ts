/**
 * The small interface the Cassandra pipeline talks to (`src/pipelines/cassandra-model/`). Only `engines/cassandra/` imports the
 * driver; values always travel as bound parameters of prepared statements, never spliced into CQL text.
 */
export interface CqlStatement {
  /** CQL with `?` markers; a single-partition unlogged batch is one statement too (BEGIN UNLOGGED BATCH …). */
  query: string;
  params: readonly unknown[];
}

/** A row as plain data: bigint/Long counts become numbers, driver types become strings. */
export type CqlRow = Record<string, string | number | boolean | null>;

export interface CqlEngine {
  /** Contact points, data center and keyspace, never credentials. */
  readonly description: string;
  /** Creates the keyspace if missing (replication from the config) and makes it the session's keyspace. */
  createKeyspace(cql: string): Promise<void>;
  /** Makes an existing keyspace the session's keyspace; a missing one is a clear error. */
  useKeyspace(): Promise<void>;
  /** One schema statement (CREATE TABLE …), waiting for the cluster to agree on the schema. */
  schema(cql: string): Promise<void>;
  /** One read, prepared and bound, every page fetched. */
  query(cql: string, params: readonly unknown[]): Promise<CqlRow[]>;
  /**
   * Idempotent writes with bounded concurrency, at the configured consistency; timeouts are retried by the
   * engine's retry policy. Resolves when all succeeded; the first failure (after retries) rejects.
   */
  writeAll(statements: readonly CqlStatement[]): Promise<void>;
  close(): Promise<void>;
}

/** Told of every request the engine sends, with its latency: for benchmarks and metrics, never needed to load. */
export interface RequestObserver {
  request(latencyMs: number, failed: boolean): void;
}
