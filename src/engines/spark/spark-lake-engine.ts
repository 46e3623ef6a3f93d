import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LakeColumn, LakeEngine, WrittenFile } from '../lake-engine.ts';
import { ident } from '../identifiers.ts';
import { expr } from './column.ts';
import type { Row } from './arrow-rows.ts';
import { SparkSession } from './spark-session.ts';

const text = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
/** A column name as a Spark identifier: the raw logs' names are camelCase, which `ident` refuses. */
const column = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const ddl = (columns: readonly LakeColumn[]) => columns.map((c) => `${column(c.name)} ${c.type}`).join(', ');
const emptyOf = (columns: readonly LakeColumn[]) => `SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${column(c.name)}`).join(', ')} WHERE false`;

/**
 * The lake job on Apache Spark through our Spark Connect client. Session tables are cached temporary views (`CACHE
 * TABLE … AS`, eager, spilling to the executors' disks as Spark does), JSON is read with an explicit schema, Parquet
 * is written by the DataFrame writer with one file per partition folder, then renamed to the plan's names.
 *
 * The job hands Spark local paths (its staging directory), so the Spark server must see this machine's file system:
 * a `local[*]` server such as scripts/servers/spark-connect-server.ts starts. A cluster would need the staging
 * directory on shared storage; that is not built.
 */
export class SparkLakeEngine implements LakeEngine {
  readonly kind = 'spark' as const;
  readonly description: string;
  readonly spark: SparkSession;
  /** Views this session cached: uncached on close, as the cache is the server's, shared by every session. */
  private readonly cached = new Set<string>();

  private constructor(spark: SparkSession, host: string) {
    this.spark = spark;
    this.description = `spark (Spark Connect at ${host}, session ${spark.sessionId})`;
  }

  static async open(options: { remote: string }): Promise<SparkLakeEngine> {
    const spark = SparkSession.connect(options.remote);
    const engine = new SparkLakeEngine(spark, `${spark.client.remote.host}:${spark.client.remote.port}`);
    try {
      // The plan's timestamps are UTC (epoch milliseconds broken down into hours, days, months): so is the session.
      await engine.run('SET spark.sql.session.timeZone=UTC');
      return engine;
    } catch (error) {
      await spark.stop().catch(() => undefined);
      throw error;
    }
  }

  async loadJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<number> {
    // The staged files hold validated records: a line Spark cannot read is a bug, so FAILFAST says so.
    const source = files.length === 0 ? this.spark.sql(emptyOf(columns)) : this.spark.read.schema(ddl(columns)).option('mode', 'FAILFAST').json(...files.map(uri));
    await source.createOrReplaceTempView(`${name}_source`);
    return this.createTable(name, `SELECT * FROM ${ident(`${name}_source`)}`);
  }

  async viewJsonLines(name: string, files: readonly string[], columns: readonly LakeColumn[]): Promise<void> {
    // Schema-on-read: a line that does not parse is dropped (as DuckDB's ignore_errors skips it), a value of another type is NULL.
    const source = files.length === 0 ? this.spark.sql(emptyOf(columns)) : this.spark.read.schema(ddl(columns)).option('mode', 'DROPMALFORMED').json(...files.map(uri));
    await source.createOrReplaceTempView(name);
  }

  async createTable(name: string, select: string): Promise<number> {
    await this.dropTable(name);
    await this.run(`CACHE TABLE ${ident(name)} AS ${select}`);
    this.cached.add(name);
    return this.count(name);
  }

  async writeParquet(name: string, dir: string, partitionBy: readonly string[], stem: string): Promise<WrittenFile[]> {
    const columns = (await this.spark.sql(`DESCRIBE ${ident(name)}`).collect()).map((r) => String(r.col_name));
    const rest = columns.filter((c) => !partitionBy.includes(c));
    // One task per partition value (DISTRIBUTE BY) writes one file per partition folder; rows in one order within it.
    const rows = partitionBy.length > 0
      ? `SELECT * FROM ${ident(name)} DISTRIBUTE BY ${partitionBy.map(column).join(', ')} SORT BY ${[...partitionBy, ...rest].map(column).join(', ')}`
      : `SELECT /*+ REPARTITION(1) */ * FROM ${ident(name)} SORT BY ${rest.map(column).join(', ')}`;
    await rm(dir, { recursive: true, force: true });
    await this.spark.sql(rows).write.mode('overwrite').partitionBy(...partitionBy).parquet(uri(dir));

    // An empty table partitioned writes no file at all (and Spark cannot read a folder of none back).
    const paths = await parquetFiles(dir);
    if (paths.length === 0) return [];
    // Rows per file from the files themselves (Spark reads the footers); files of no rows (an empty table) count 0.
    const counted = await this.spark.read.parquet(uri(dir)).groupBy(expr('input_file_name()').alias('file')).agg(expr('count(1)').alias('n')).collect();
    const perFile = new Map(counted.map((r) => [fileURLToPath(String(r.file)), Number(r.n)]));
    const written: WrittenFile[] = [];
    const next = new Map<string, number>();
    for (const path of paths) {
      const folder = path.slice(0, path.lastIndexOf(sep));
      const n = next.get(folder) ?? 0;
      next.set(folder, n + 1);
      const target = join(folder, `${stem}-${n}.parquet`);
      await rename(path, target);
      written.push({ path: relative(dir, target).split(sep).join('/'), rows: perFile.get(path) ?? 0, bytes: (await stat(target)).size });
    }
    return written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async viewParquet(name: string, files: readonly string[], columns: readonly LakeColumn[], partitionBy: readonly string[]): Promise<void> {
    if (files.length === 0) {
      await this.spark.sql(emptyOf(columns)).createOrReplaceTempView(name);
      return;
    }
    // Partition columns come from the Hive folders under the table's root, typed by the schema given.
    const first = files[0] as string;
    const base = partitionBy.length === 0 ? undefined : first.split(sep).slice(0, -(partitionBy.length + 1)).join(sep);
    const reader = this.spark.read.schema(ddl(columns));
    if (base !== undefined) reader.option('basePath', uri(base));
    await reader.parquet(...files.map(uri)).select(...columns.map((c) => expr(column(c.name)))).createOrReplaceTempView(name);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.spark.sql(sql).collect()).map(plainRow);
  }

  async close(): Promise<void> {
    try {
      for (const name of this.cached) await this.run(`UNCACHE TABLE IF EXISTS ${ident(name)}`).catch(() => undefined);
    } finally {
      await this.spark.stop();
    }
  }

  private async dropTable(name: string): Promise<void> {
    if (!this.cached.has(name)) return;
    await this.run(`UNCACHE TABLE IF EXISTS ${ident(name)}`);
    await this.run(`DROP VIEW IF EXISTS ${ident(name)}`);
    this.cached.delete(name);
  }

  private async count(name: string): Promise<number> {
    const [row] = await this.spark.sql(`SELECT count(1) AS n FROM ${ident(name)}`).collect();
    return Number(row?.n ?? 0);
  }

  private async run(statement: string): Promise<void> {
    await this.spark.sql(statement).collect();
  }
}

/** Spark's Hadoop file system reads a local path as a `file:` URI (a bare path could be taken for HDFS on a cluster). */
function uri(path: string): string {
  return path.startsWith('file:') || /^[a-z0-9]+:\/\//i.test(path) ? path : `file://${path}`;
}

/** The Parquet files Spark wrote under `dir`; its `_SUCCESS` and Hadoop's `.crc` checksum files are removed. */
async function parquetFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile()) continue;
    if (entry.name.endsWith('.parquet') && !entry.name.startsWith('.')) out.push(path);
    else await rm(path);
  }
  return out.sort();
}

/** Rows as the DuckDB engine gives them: whole numbers as numbers (a long beyond 2^53 as its digits), so output matches. */
function plainRow(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v;
  return out;
}
