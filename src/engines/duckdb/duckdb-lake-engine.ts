import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { LakeColumn, LakeEngine, WrittenFile } from '../lake-engine.ts';
import { ident } from '../identifiers.ts';
import { SparkifyError } from '../../core/errors.ts';
import { DuckDbEngine } from './duckdb-engine.ts';

const text = (v: string) => `'${v.replaceAll("'", "''")}'`;
const list = (files: readonly string[]) => `[${files.map(text).join(', ')}]`;
/** A column name as an identifier: the raw logs' names are camelCase, which `ident` refuses. */
const column = (name: string) => `"${name.replaceAll('"', '""')}"`;
const struct = (columns: readonly LakeColumn[]) => `{${columns.map((c) => `${text(c.name)}: ${text(duckType(c.type))}`).join(', ')}}`;

/** DuckDB's names for the lake's types (STRING and INT are aliases it knows, spelled out for clarity). */
function duckType(type: LakeColumn['type']): string {
  return ({ STRING: 'VARCHAR', INT: 'INTEGER', BIGINT: 'BIGINT', DOUBLE: 'DOUBLE', TIMESTAMP: 'TIMESTAMP' } as const)[type];
}

/**
 * DuckDB's buffer pool for the job's tables (docs/decisions/2026-12-08-lake-memory.md). Issue 16 wants the job's process
 * under 512 MB at any input size; Node, DuckDB's own allocations outside the pool (Parquet writers, the allocator's
 * cache) and this pool share it. Tables past it spill to a folder of the engine's own.
 */
export const lakeMemoryLimitMb = Number(process.env.SPARKIFY_LAKE_DUCKDB_MEMORY_MB) || 256;

/**
 * Partitions one partitioned COPY writes at most. DuckDB takes a 256 KB block of its pool per partition a COPY holds:
 * one COPY of the songs table (9,836 partitions, one per year and artist) fails with "Out of Memory" under any limit up
 * to 512 MB. A table with more partitions is written in several COPYs of whole partitions each.
 */
export const partitionsPerCopy = 256;

/**
 * The lake job on embedded DuckDB: an in-memory database for the job's tables, held to `lakeMemoryLimitMb` and
 * spilling to disk past it; JSON read by read_json with the columns given, Parquet written by COPY … PARTITION_BY.
 */
export class DuckDbLakeEngine implements LakeEngine {
  readonly kind = 'duckdb' as const;
  readonly description: string;
  private readonly engine: Pick<DuckDbEngine, 'exec' | 'query' | 'close'>;
  private readonly spill: string;

  private constructor(engine: DuckDbEngine, spill: string, limitMb: number) {
    this.engine = withMemoryHint(engine, limitMb);
    this.spill = spill;
    this.description = 'duckdb (embedded, in memory)';
  }

  static async open(options: { threads?: number; memoryLimitMb?: number } = {}): Promise<DuckDbLakeEngine> {
    if (options.memoryLimitMb !== undefined && !(Number.isInteger(options.memoryLimitMb) && options.memoryLimitMb > 0)) {
      throw new SparkifyError('SPK_E_CONFIG', `the lake's DuckDB memory limit must be a whole number of MB, not ${options.memoryLimitMb}`);
    }
    const engine = await DuckDbEngine.open(options.threads ? { threads: options.threads } : {});
    // DuckDB's default spill folder for an in-memory database is .tmp in the working directory; this one goes on close.
    const spill = await mkdtemp(join(tmpdir(), 'sparkify-duckdb-spill-'));
    try {
      await engine.exec(`SET memory_limit = '${options.memoryLimitMb ?? lakeMemoryLimitMb}MB'`);
      await engine.exec(`SET temp_directory = ${text(spill)}`);
      // Spark's name for epoch milliseconds to a timestamp, so the plan's SQL says it one way on both engines.
      await engine.exec('CREATE MACRO timestamp_millis(ms) AS make_timestamp(CAST(ms AS BIGINT) * 1000)');
    } catch (error) {
      await engine.close().catch(() => undefined);
      await rm(spill, { recursive: true, force: true });
      throw error;
    }
    return new DuckDbLakeEngine(engine, spill, options.memoryLimitMb ?? lakeMemoryLimitMb);
  }

  async loadJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<number> {
    if (files.length === 0) {
      await this.engine.exec(`CREATE OR REPLACE TABLE ${ident(name)} (${columns.map((c) => `${column(c.name)} ${duckType(c.type)}`).join(', ')})`);
      return 0;
    }
    await this.engine.exec(`CREATE OR REPLACE TABLE ${ident(name)} AS SELECT * FROM read_json(${list(files)}, format = 'newline_delimited', columns = ${struct(columns)})`);
    return this.count(name);
  }

  async viewJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<void> {
    const source = files.length === 0
      ? `SELECT ${columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${column(c.name)}`).join(', ')} WHERE false`
      : `SELECT * FROM read_json(${list(files)}, format = 'newline_delimited', columns = ${struct(columns)}, ignore_errors = true)`;
    await this.engine.exec(`CREATE OR REPLACE VIEW ${ident(name)} AS ${source}`);
  }

  async createTable(name: string, select: string): Promise<number> {
    await this.engine.exec(`CREATE OR REPLACE TABLE ${ident(name)} AS ${select}`);
    return this.count(name);
  }

  async writeParquet(name: string, dir: string, partitionBy: readonly string[], stem: string): Promise<WrittenFile[]> {
    const options = partitionBy.length > 0
      ? `FORMAT parquet, PARTITION_BY (${partitionBy.map(ident).join(', ')}), FILENAME_PATTERN ${text(`${stem}-{i}`)}`
      : 'FORMAT parquet';
    const target = partitionBy.length > 0 ? dir : `${dir}/${stem}-0.parquet`;
    await mkdir(dir, { recursive: true });
    // Rows in one order, whatever the threads did: the same input writes the same bytes (checksums, ETags). Partition
    // columns first, so each partition's rows come together and its file is written once, not reopened.
    const columns = await this.engine.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_name = ${text(name)} ORDER BY ordinal_position`);
    const order = [...partitionBy, ...columns.map((c) => c.name).filter((c) => !partitionBy.includes(c))].map((c) => `t.${column(c)}`).join(', ');
    const batches = partitionBy.length > 0 ? await this.partitionBatches(name, partitionBy) : 1;
    // RETURN_STATS: each file's rows and bytes as DuckDB wrote them. Reading them back with parquet_file_metadata
    // opened every file again (9,836 songs files: 4 s and 340 MB of DuckDB's file cache).
    const copy = (select: string, more = '') => this.engine.query<{ filename: string; count: number; file_size_bytes: number }>(
      `COPY (${select} ORDER BY ${order}) TO ${text(target)} (${options}${more}, RETURN_STATS)`);
    const stats: { filename: string; count: number; file_size_bytes: number }[] = [];
    if (batches <= 1) {
      stats.push(...await copy(`SELECT * FROM ${ident(name)} AS t`));
    } else {
      // Each COPY writes whole partitions no other COPY writes, so its files are the ones a single COPY would write;
      // OVERWRITE_OR_IGNORE only lets the later ones into the folder the first one made (which must be empty, as before).
      const batch = `${name}_batches`;
      const same = partitionBy.map((p) => `t.${column(p)} IS NOT DISTINCT FROM b.${column(p)}`).join(' AND ');
      try {
        for (let i = 0; i < batches; i++) {
          stats.push(...await copy(`SELECT t.* FROM ${ident(name)} AS t JOIN ${ident(batch)} AS b ON ${same} AND b.batch = ${i}`, i > 0 ? ', OVERWRITE_OR_IGNORE' : ''));
        }
      } finally {
        await this.engine.exec(`DROP TABLE IF EXISTS ${ident(batch)}`);
      }
    }
    const written = stats.map((f) => ({ path: relative(dir, f.filename).split(sep).join('/'), rows: Number(f.count), bytes: Number(f.file_size_bytes) }));
    return written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async viewParquet(name: string, files: readonly string[], columns: readonly LakeColumn[], partitionBy: readonly string[]): Promise<void> {
    if (files.length === 0) {
      await this.engine.exec(`CREATE OR REPLACE VIEW ${ident(name)} AS SELECT ${columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${column(c.name)}`).join(', ')} WHERE false`);
      return;
    }
    const types = columns.filter((c) => partitionBy.includes(c.name));
    const hive = partitionBy.length > 0 ? `, hive_partitioning = true, hive_types = ${struct(types)}` : ', hive_partitioning = false';
    // Columns in the plan's order, whatever order the files and folders give them in.
    const select = columns.map((c) => column(c.name)).join(', ');
    await this.engine.exec(`CREATE OR REPLACE VIEW ${ident(name)} AS SELECT ${select} FROM read_parquet(${list(files)}${hive})`);
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.engine.query(sql);
  }

  async close(): Promise<void> {
    try {
      await this.engine.close();
    } finally {
      await rm(this.spill, { recursive: true, force: true });
    }
  }

  /**
   * How many COPYs `name` is written in, at most `partitionsPerCopy` partitions each; past one, the table
   * `<name>_batches` numbers each partition's batch, in the partitions' order.
   */
  private async partitionBatches(name: string, partitionBy: readonly string[]): Promise<number> {
    const keys = partitionBy.map(column).join(', ');
    const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM (SELECT DISTINCT ${keys} FROM ${ident(name)})`);
    const partitions = Number(row?.n ?? 0);
    if (partitions <= partitionsPerCopy) return 1;
    await this.engine.exec(`CREATE OR REPLACE TABLE ${ident(`${name}_batches`)} AS SELECT ${keys}, `
      + `(row_number() OVER (ORDER BY ${keys}) - 1) // ${partitionsPerCopy} AS batch FROM (SELECT DISTINCT ${keys} FROM ${ident(name)})`);
    return Math.ceil(partitions / partitionsPerCopy);
  }

  private async count(name: string): Promise<number> {
    const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${ident(name)}`);
    return Number(row?.n ?? 0);
  }
}

/**
 * The engine, with DuckDB's "Out of Memory" (an operator that cannot spill past the pool, such as the window of a
 * large songplays table under 128 MB at 10M events) saying which setting raises the pool.
 */
function withMemoryHint(engine: DuckDbEngine, limitMb: number): Pick<DuckDbEngine, 'exec' | 'query' | 'close'> {
  const hinted = (error: unknown): never => {
    if (error instanceof SparkifyError && /Out of Memory/i.test(error.message)) {
      throw new SparkifyError(error.code, `${error.message} (the lake job's DuckDB pool is ${limitMb} MB: raise SPARKIFY_LAKE_DUCKDB_MEMORY_MB)`,
        { cause: error, retryable: false, ...(error.details ? { details: error.details } : {}) });
    }
    throw error;
  };
  return {
    exec: (sql: string) => engine.exec(sql).catch(hinted),
    query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => engine.query<T>(sql, params).catch(hinted),
    close: () => engine.close(),
  } as Pick<DuckDbEngine, 'exec' | 'query' | 'close'>;
}
