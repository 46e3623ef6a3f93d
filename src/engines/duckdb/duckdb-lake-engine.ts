import { mkdir, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { LakeColumn, LakeEngine, WrittenFile } from '../lake-engine.ts';
import { ident } from '../identifiers.ts';
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
 * The lake job on embedded DuckDB: an in-memory database for the job's tables (spilling to disk as DuckDB does),
 * JSON read by read_json with the columns given, Parquet written by COPY … PARTITION_BY.
 */
export class DuckDbLakeEngine implements LakeEngine {
  readonly kind = 'duckdb' as const;
  readonly description: string;
  private readonly engine: DuckDbEngine;

  private constructor(engine: DuckDbEngine) {
    this.engine = engine;
    this.description = 'duckdb (embedded, in memory)';
  }

  static async open(options: { threads?: number } = {}): Promise<DuckDbLakeEngine> {
    const engine = await DuckDbEngine.open(options.threads ? { threads: options.threads } : {});
    // Spark's name for epoch milliseconds to a timestamp, so the plan's SQL says it one way on both engines.
    await engine.exec('CREATE MACRO timestamp_millis(ms) AS make_timestamp(CAST(ms AS BIGINT) * 1000)');
    return new DuckDbLakeEngine(engine);
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
    const order = [...partitionBy, ...columns.map((c) => c.name).filter((c) => !partitionBy.includes(c))].map(column).join(', ');
    await this.engine.exec(`COPY (SELECT * FROM ${ident(name)} ORDER BY ${order}) TO ${text(target)} (${options})`);
    const rows = await this.engine.query<{ file_name: string; num_rows: number }>(
      `SELECT file_name, CAST(num_rows AS BIGINT) AS num_rows FROM parquet_file_metadata(${text(`${dir}/**/*.parquet`)})`);
    const written: WrittenFile[] = [];
    for (const row of rows) {
      written.push({ path: relative(dir, row.file_name).split(sep).join('/'), rows: Number(row.num_rows), bytes: (await stat(row.file_name)).size });
    }
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

  close(): Promise<void> {
    return this.engine.close();
  }

  private async count(name: string): Promise<number> {
    const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${ident(name)}`);
    return Number(row?.n ?? 0);
  }
}
