/**
 * One contender of bench/lake.ts in a process of its own, so its peak RSS is its own. Argument: a JSON Job. Prints
 * one JSON line on stdout at the end: seconds (from its own start, process startup excluded), peak RSS, and the row
 * count of each of the five tables.
 *   cli:        `sparkify lake build …` exactly as a user runs it (src/cli/main.ts's main with the given arguments; the
 *               S3 endpoint and keys come from the environment); the rows are those its --json report gives.
 *   duckdb-sql: hand-written.sql on embedded DuckDB with the httpfs extension, reading and writing S3 itself; the rows
 *               are counted from the Parquet written, after the clock stops.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { installedHttpfs } from '../../src/engines/duckdb/httpfs.ts';

export type Job =
  | { kind: 'cli'; args: string[] }
  | { kind: 'duckdb-sql'; input: string; output: string; bucket: string; s3: { region: string; endpoint: string; accessKeyId: string; secretAccessKey: string } };

export interface ChildResult {
  seconds: number;
  maxRssMB: number;
  tables: Record<string, number>;
  /** duckdb-sql: seconds per statement (staging tables, then each table's COPY). */
  phases?: { name: string; seconds: number }[];
}

export const tableNames = ['songs', 'artists', 'users', 'time', 'songplays'] as const;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run(JSON.parse(process.argv[2] as string) as Job);

async function run(job: Job): Promise<void> {
const started = performance.now();
if (job.kind === 'cli') {
  const { main } = await import('../../src/cli/main.ts');
  // main writes its --json report on stdout; capture it instead, so this process's one stdout line is ours.
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  const code = await main(['node', 'sparkify', ...job.args]);
  process.stdout.write = write;
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) {
    process.stderr.write(`sparkify ${job.args.join(' ')} exited with ${code}\n${out}`);
    process.exit(code);
  }
  const report = JSON.parse(out) as { tables: { table: string; rows: number; files: number }[] };
  const tables = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
  const files = Object.fromEntries(report.tables.map((t) => [t.table, t.files]));
  finish({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, tables }, { files });
} else {
  const extension = installedHttpfs();
  if (!extension) throw new Error('the DuckDB httpfs extension is not installed (npm run duckdb-httpfs)');
  const engine = await DuckDbEngine.open();
  try {
    await engine.readS3(extension, job.bucket, { region: job.s3.region, endpoint: job.s3.endpoint }, job.s3);
    const sql = readFileSync(join(import.meta.dirname, 'hand-written.sql'), 'utf8')
      .replaceAll('{{in}}', job.input).replaceAll('{{out}}', job.output)
      .split('\n').filter((line) => !line.startsWith('--')).join('\n');
    // Each statement timed, named by what it makes (the staging tables, then each table's COPY).
    const phases: { name: string; seconds: number }[] = [];
    for (const statement of sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
      const t = performance.now();
      await engine.exec(statement);
      const name = /^CREATE TEMP TABLE (\w+)/.exec(statement)?.[1] ?? /TO '[^']*\/(\w+)(?:\/[^']*)?' \(/.exec(statement)?.[1];
      if (name) phases.push({ name, seconds: (performance.now() - t) / 1000 });
    }
    const seconds = (performance.now() - started) / 1000;
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    const tables: Record<string, number> = {};
    for (const table of tableNames) {
      const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${job.output}/${table}/**/*.parquet')`);
      tables[table] = Number(row?.n ?? 0);
    }
    finish({ seconds, maxRssMB, tables }, { phases });
  } finally {
    await engine.close();
  }
}
}

function finish(result: ChildResult, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ...result, ...extra })}\n`);
}
