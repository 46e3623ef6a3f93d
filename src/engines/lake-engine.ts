/**
 * What the lake job asks of an engine (docs/decisions/2026-12-07-lake-layout.md). The plan is the same for every
 * engine: it names tables, their SQL (a shared form, with per-engine files where dialects differ) and their partition
 * columns; an engine only loads files, runs SELECTs into tables of its session and writes tables as Parquet.
 * DuckDB implements it embedded (`duckdb/duckdb-lake-engine.ts`); a Spark Connect engine is to implement the same.
 */
export type LakeEngineKind = 'duckdb' | 'spark';

/** Column types of the lake, in words both engines read (DuckDB and Spark SQL both know these names). */
export type LakeType = 'STRING' | 'INT' | 'BIGINT' | 'DOUBLE' | 'TIMESTAMP';

export interface LakeColumn {
  name: string;
  type: LakeType;
}

/** One Parquet file a write produced, relative to the directory written (Hive folders included). */
export interface WrittenFile {
  /** '/'-separated: `year=2018/month=11/part-….parquet`, or just the file name for an unpartitioned table. */
  path: string;
  rows: number;
  bytes: number;
}

export interface LakeEngine {
  readonly kind: LakeEngineKind;
  /** Human-readable, never including credentials. */
  readonly description: string;
  /** `name` as a table of JSON-lines files (one object per line), typed by `columns`; fields not named are ignored. */
  loadJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<number>;
  /**
   * `name` as a view of JSON-lines files read as they are (schema-on-read): a line that does not parse, or a value
   * of another type, is skipped or NULL, never an error.
   */
  viewJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<void>;
  /** `name` as a table of the session holding the rows of `select` (the engine's SQL); returns its rows. */
  createTable(name: string, select: string): Promise<number>;
  /**
   * Writes table `name` as Parquet under the local directory `dir` (empty or absent): Hive folders `col=value/` for
   * `partitionBy` (in that order; NULL as `__HIVE_DEFAULT_PARTITION__`, the partition columns only in the folder
   * names), one file per partition, named `<stem>-<n>.parquet`.
   */
  writeParquet(name: string, dir: string, partitionBy: readonly string[], stem: string): Promise<WrittenFile[]>;
  /**
   * `name` as a view of Parquet `files` (local paths in Hive folders), whose partition columns come from the Hive folders
   * with the types given; with no files, an empty table of `columns`.
   */
  viewParquet(name: string, files: readonly string[], columns: readonly LakeColumn[], partitionBy: readonly string[]): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
