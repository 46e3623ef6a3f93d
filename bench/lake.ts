/**
 * `node bench/lake.ts` (`npm run bench:lake`): the lake job (issue 16 §5) through a local S3 server (versitygw, started
 * here), against the baselines measured in the same run on the same data:
 *   - DuckDB, hand-written (the limit): bench/lake/hand-written.sql, read_json from S3 and one
 *     COPY … TO 's3://…' (FORMAT parquet, PARTITION_BY …) per table, on embedded DuckDB with httpfs;
 *   - `sparkify lake build --engine duckdb` from S3 to S3;
 *   - PySpark baseline: bench/lake/etl.py, written as the course's project solutions write etl.py, run by classic
 *     `spark-submit --master local[2]` with TZ=UTC, s3a:// in and out (bench/lake/pyspark-baseline.ts);
 *   - `sparkify lake build --engine spark` on a Spark Connect server on local[2] (scripts/servers/spark-connect-server.ts,
 *     started for this row only, its start not timed), when the Spark lake engine is there.
 * Each runs in a process of its own, one after another. Simulated data is generated once per size and cached under
 * ~/.cache/sparkify-bench (or $SPARKIFY_BENCH_CACHE), uploaded to a fresh bucket (untimed). Prints seconds, events/s,
 * the ratio against its baseline, and peak RSS; checks that every contender wrote the same five tables (row counts)
 * and exits 1 when they differ. It prints; it is not a test.
 *   --sizes 1m,10m     about that many events each (k/m suffixes)     --songs 10000 --days 30 --seed 42
 *   --only duckdb-sql,duckdb,pyspark,spark                            --json   one JSON document on stdout
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startS3Server } from '../scripts/servers/s3-server.ts';
import { createProgress } from '../src/core/progress.ts';
import { formatTable } from '../src/core/table.ts';
import { S3Store } from '../src/storage/s3/s3-store.ts';
import { uploadTree } from '../src/storage/upload-tree.ts';
import { tableNames, type ChildResult, type Job } from './lake/child.ts';
import { sampleRss } from './lake/process-rss.ts';
import { runPysparkBaseline } from './lake/pyspark-baseline.ts';
import { simDataset } from './support/sim-dataset.ts';
import { du } from './warehouse/du.ts';

const contenders = ['duckdb-sql', 'duckdb', 'pyspark', 'spark'] as const;
type Contender = (typeof contenders)[number];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1m' },
    songs: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    only: { type: 'string', default: contenders.join(',') },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(parseSize);
const only = new Set(values.only.split(',').map((s) => s.trim()));
for (const c of only) if (!contenders.includes(c as Contender)) throw new Error(`--only: unknown contender ${c} (${contenders.join(', ')})`);
const note = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const root = resolve(import.meta.dirname, '..');
const sparkEngine = join(root, 'src', 'engines', 'spark', 'spark-lake-engine.ts');

interface Row {
  contender: Contender;
  label: string;
  seconds?: number;
  peakRssMB?: number;
  tables?: Record<string, number>;
  extra?: Record<string, unknown>;
  skipped?: string;
}

const s3 = await startS3Server({ log: note });
const work = await mkdtemp(join(tmpdir(), 'sparkify-bench-lake-'));
const report: Record<string, unknown>[] = [];
let mismatch = false;
try {
  const access = { region: s3.region, endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  const config = { region: s3.region, endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } };
  const cliEnv = { SPARKIFY_S3_ENDPOINT: s3.endpoint, SPARKIFY_S3_REGION: s3.region, SPARKIFY_S3_ACCESS_KEY_ID: s3.accessKeyId,
    SPARKIFY_S3_SECRET_ACCESS_KEY: s3.secretAccessKey };
  for (const size of sizes) {
    const data = await simDataset({ events: size, songs: Number(values.songs), days: Number(values.days), seed: Number(values.seed) },
      createProgress(process.stderr, true));
    const events = data.summary.events;
    const mb = ((await du(data.songs)) + (await du(data.logs))) / 1e6;
    note(`${events.toLocaleString('en-US')} events, ${data.summary.songFiles.toLocaleString('en-US')} song files, ${mb.toFixed(0)} MB of JSON in ${data.dir}`);

    const bucket = `bench-lake-${randomBytes(4).toString('hex')}`;
    const store = new S3Store(bucket, config);
    await store.ensureRoot();
    const up = performance.now();
    for (const part of ['song_data', 'log_data']) await uploadTree(join(data.dir, part), store, `sparkify/${part}`, 16);
    const uploadSeconds = (performance.now() - up) / 1000;
    await store.close();
    const input = `s3://${bucket}/sparkify`;
    note(`uploaded to ${input} in ${uploadSeconds.toFixed(1)} s`);

    const rows: Row[] = [];
    const push = (row: Row) => {
      rows.push(row);
      note(`  ${row.label}: ${row.seconds?.toFixed(1) ?? '—'} s, peak RSS ${Math.round(row.peakRssMB ?? 0)} MB, rows ${JSON.stringify(row.tables ?? {})}`);
    };
    const cli = (engine: string, out: string, env: Record<string, string> = {}) => runChild({ kind: 'cli', args: ['lake', 'build', '--in', input,
      '--out', `s3://${bucket}/${out}`, '--engine', engine, '--json', '--no-progress', '--data-dir', join(work, `data-${out}`)] }, { ...cliEnv, ...env });

    if (only.has('duckdb-sql')) {
      note('DuckDB, hand-written COPY … PARTITION_BY (the limit) …');
      const r = await runChild({ kind: 'duckdb-sql', input, output: `s3://${bucket}/lake-sql`, bucket, s3: access }, {});
      push({ contender: 'duckdb-sql', label: 'DuckDB hand-written SQL (limit)', seconds: r.seconds, peakRssMB: r.maxRssMB, tables: r.tables,
        extra: { phases: r.phases } });
    }
    if (only.has('duckdb')) {
      note('sparkify lake build --engine duckdb …');
      const r = await cli('duckdb', 'lake-duckdb');
      push({ contender: 'duckdb', label: 'sparkify lake build, DuckDB', seconds: r.seconds, peakRssMB: r.maxRssMB, tables: r.tables });
    }
    if (only.has('pyspark')) {
      note('PySpark etl.py, spark-submit --master local[2] …');
      const r = await runPysparkBaseline(access, `s3a://${bucket}/sparkify`, `s3a://${bucket}/lake-pyspark`, work, note);
      push({ contender: 'pyspark', label: 'PySpark etl.py, spark-submit local[2]', seconds: r.seconds, peakRssMB: r.peakRssMB, tables: r.tables,
        extra: { jobSeconds: r.jobSeconds, wallSeconds: r.wallSeconds } });
    }
    if (only.has('spark')) {
      if (!existsSync(sparkEngine)) {
        push({ contender: 'spark', label: 'sparkify lake build, Spark local[2]', skipped: 'the Spark lake engine has not landed' });
      } else {
        const { startSparkConnect } = await import('../scripts/servers/spark-connect-server.ts');
        note('starting a Spark Connect server on local[2] …');
        const server = await startSparkConnect({ log: note });
        try {
          note(`Spark Connect up in ${server.startupSeconds.toFixed(1)} s; sparkify lake build --engine spark …`);
          const port = `spark.connect.grpc.binding.port=${server.port}`;
          const serverRss = sampleRss((p) => p.cmdline().includes(port));
          const r = await cli('spark', 'lake-spark', { SPARKIFY_SPARK_REMOTE: server.remote });
          push({ contender: 'spark', label: 'sparkify lake build, Spark local[2]', seconds: r.seconds, peakRssMB: r.maxRssMB, tables: r.tables,
            extra: { serverPeakRssMB: serverRss.stop(), serverStartSeconds: server.startupSeconds } });
        } finally {
          await server.stop();
        }
      }
    }

    const get = (c: Contender) => rows.find((r) => r.contender === c && r.seconds !== undefined);
    const limit = get('duckdb-sql');
    const pyspark = get('pyspark');
    const baselineOf: Record<Contender, Row | undefined> = { 'duckdb-sql': undefined, duckdb: limit, pyspark: undefined, spark: pyspark };
    const reference = rows.find((r) => r.tables)?.tables;
    const sameTables = rows.filter((r) => r.tables).every((r) => tableNames.every((t) => r.tables?.[t] === reference?.[t]));
    if (!sameTables) mismatch = true;
    const table = rows.map((r) => {
      const base = baselineOf[r.contender];
      return {
        contender: r.label,
        seconds: r.seconds === undefined ? `— (${r.skipped})` : r.seconds.toFixed(1),
        'events/s': r.seconds === undefined ? '' : Math.round(events / r.seconds).toLocaleString('en-US'),
        ratio: r.seconds === undefined ? '' : base?.seconds ? `${(r.seconds / base.seconds).toFixed(2)}× ${base.contender === 'pyspark' ? 'PySpark' : 'limit'}` : 'baseline',
        'peak RSS MB': r.peakRssMB === undefined ? '' : `${Math.round(r.peakRssMB)}${r.extra?.serverPeakRssMB ? ` (+ server ${Math.round(r.extra.serverPeakRssMB as number)})` : ''}`,
        ...Object.fromEntries(tableNames.map((t) => [t, r.tables?.[t]?.toLocaleString('en-US') ?? ''])),
      };
    });
    const duck = get('duckdb');
    const ours = get('spark');
    const lines = [
      duck && limit ? `DuckDB path / hand-written DuckDB: ${(duck.seconds! / limit.seconds!).toFixed(2)}× (target ≤ 1.3×)` : undefined,
      duck && pyspark ? `DuckDB path vs PySpark local[2]: ${(pyspark.seconds! / duck.seconds!).toFixed(1)}× faster (spark-submit), ` +
        `${((pyspark.extra?.jobSeconds as number) / duck.seconds!).toFixed(1)}× (its job alone, ${(pyspark.extra?.jobSeconds as number).toFixed(1)} s) (target ≥ 5×)` : undefined,
      duck && ours ? `DuckDB path vs our Spark path: ${(ours.seconds! / duck.seconds!).toFixed(1)}× faster` : undefined,
      ours && pyspark ? `Spark path / PySpark: ${(ours.seconds! / pyspark.seconds!).toFixed(2)}× its spark-submit, ` +
        `${(ours.seconds! / (pyspark.extra?.jobSeconds as number)).toFixed(2)}× its job alone (target ≤ 1.1×; our Spark Connect server started in ` +
        `${(ours.extra?.serverStartSeconds as number).toFixed(1)} s, not counted)` : undefined,
      `peak RSS of our own process: ${[duck, ours].filter(Boolean).map((r) => `${r!.contender} ${Math.round(r!.peakRssMB!)} MB`).join(', ') || '—'} (target < 512 MB)`,
      limit?.extra?.phases ? `hand-written DuckDB by statement: ${(limit.extra.phases as { name: string; seconds: number }[]).map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(', ')}` : undefined,
      pyspark ? `PySpark: spark-submit ${pyspark.seconds!.toFixed(1)} s (JVM start to exit; ${(pyspark.extra?.wallSeconds as number).toFixed(1)} s with the row counts read back), ` +
        `of which its job (SparkSession up to the last table written) ${(pyspark.extra?.jobSeconds as number).toFixed(1)} s` : undefined,
      `same five tables (row counts) from every contender: ${sameTables ? 'yes' : 'NO'}`,
    ].filter((l): l is string => l !== undefined);
    report.push({ events, inputMB: mb, uploadSeconds, sameTables, rows, summary: lines });
    if (!values.json) {
      process.stdout.write(`\n${events.toLocaleString('en-US')} events (${mb.toFixed(0)} MB of JSON, ${data.summary.songFiles.toLocaleString('en-US')} song files), ` +
        `uploaded to the local S3 server in ${uploadSeconds.toFixed(1)} s\n`);
      process.stdout.write(formatTable(table));
      for (const line of lines) process.stdout.write(`${line}\n`);
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
  await s3.stop();
}
if (mismatch) {
  process.stderr.write('[bench] FAILED: the contenders wrote tables with different row counts\n');
  process.exitCode = 1;
}

function runChild(job: Job, env: Record<string, string>): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [join(import.meta.dirname, 'lake', 'child.ts'), JSON.stringify(job)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop() as string) as ChildResult) : fail(new Error(`${job.kind} exited with ${code}`))));
  });
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim().replaceAll('_', ''));
  if (!m) throw new Error(`--sizes: ${text} is not a count (1000000, 1m, 500k)`);
  return Math.round(Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6 }[m[2]!.toLowerCase() as '' | 'k' | 'm']));
}
