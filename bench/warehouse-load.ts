/**
 * `node bench/warehouse-load.ts`: simulated events through a real S3-compatible server (versitygw) into the staging
 * tables and the star schema, on DuckDB and on PostgreSQL, against two baselines measured in the same run:
 *   (a) hand-written DuckDB SQL (read_json) over the same files on local disk, then the same transform;
 *   (b) a raw COPY of the same staging rows into PostgreSQL from local CSV files;
 *   (b′) a raw COPY of every row the ELT writes — the staging rows and the star schema's — from local CSV files into
 *        the same tables with their keys and indexes, as issue 2's baseline is the raw COPY of the star rows.
 * Each path runs in its own process (peak RSS is its own). Prints events/s, MB/s (JSON input read), peak RSS, the
 * time per phase, and the ratios. It prints; it is not a test.
 *   --events 1000000   simulated events (about; repeatable)      --songs 10000 --days 30 --seed 42
 *   --concurrency 16   objects read at once per COPY             --json   one JSON document on stdout
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '../scripts/servers/postgres-server.ts';
import { startS3Server } from '../scripts/servers/s3-server.ts';
import { createProgress } from '../src/core/progress.ts';
import { formatTable } from '../src/core/table.ts';
import { S3Store } from '../src/storage/s3/s3-store.ts';
import { uploadTree } from '../src/storage/upload-tree.ts';
import type { Job } from './warehouse/path-child.ts';
import { warehouseDataset } from './warehouse/dataset.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', multiple: true },
    songs: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = (values.events ?? ['1000000']).map((e) => Number(e.replaceAll('_', '')));
const note = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const jsonPaths = resolve(process.env.SPARKIFY_DATA_ROOT ?? resolve(import.meta.dirname, '..', '..', 'shared', 'data'), 'sparkify', 'log_json_path.json');
const child = join(import.meta.dirname, 'warehouse', 'path-child.ts');

interface PathResult {
  seconds: number; maxRssMB: number; phases?: { name: string; seconds: number }[]; tables?: { table: string; rows: number }[];
  reads?: { table: string; path: string; declined?: string }[];
}

function runPath(job: Job): Promise<PathResult> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [child, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop() as string) as PathResult) : fail(new Error(`${job.path} exited with ${code}`))));
  });
}

const s3 = await startS3Server({ log: note });
const postgres = await startPostgres();
const work = await mkdtemp(join(tmpdir(), 'sparkify-bench-warehouse-'));
const report: Record<string, unknown>[] = [];
try {
  const config = { region: s3.region, endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } };
  for (const size of sizes) {
    const data = await warehouseDataset({ events: size, songs: Number(values.songs), days: Number(values.days), seed: Number(values.seed), jsonPaths }, createProgress(process.stderr, true));
    const events = data.summary.events;
    const mb = data.inputBytes / 1e6;
    note(`${events.toLocaleString('en-US')} events, ${data.summary.songFiles.toLocaleString('en-US')} song files, ${mb.toFixed(0)} MB of JSON in ${data.dir}`);

    const bucket = `bench-${randomBytes(4).toString('hex')}`;
    const store = new S3Store(bucket, config);
    await store.ensureRoot();
    const up = performance.now();
    for (const part of ['song_data', 'log_data', 'log_json_path.json']) await uploadTree(join(data.dir, part), store, `sparkify/${part}`, 16);
    const uploadSeconds = (performance.now() - up) / 1000;
    await store.close();
    note(`uploaded to s3://${bucket}/sparkify in ${uploadSeconds.toFixed(1)} s`);

    const database = async (label: string) => {
      const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
      await admin(postgres.url, `CREATE DATABASE ${name}`);
      const url = new URL(postgres.url);
      url.pathname = `/${name}`;
      return url.toString();
    };
    const from = `s3://${bucket}/sparkify`;
    const concurrency = Number(values.concurrency);
    note('DuckDB: ELT from S3 …');
    const duck = await runPath({ path: 'elt', target: 'duckdb', db: join(work, `elt-${size}.duckdb`), from, s3: config, concurrency });
    note('DuckDB: hand-written read_json over local files …');
    const duckSql = await runPath({ path: 'duckdb-sql', db: join(work, `sql-${size}.duckdb`), dir: data.dir });
    note('PostgreSQL: ELT from S3 …');
    const pgDb = await database('elt');
    const pgElt = await runPath({ path: 'elt', target: 'postgres', db: pgDb, from, s3: config, concurrency });
    const eventsFile = join(work, `events-${size}.csv`);
    const songsFile = join(work, `songs-${size}.csv`);
    const starDir = await mkdtemp(join(work, 'star-'));
    await runPath({ path: 'export-staging', db: pgDb, eventsFile, songsFile, starDir });
    note('PostgreSQL: raw COPY of the same staging rows …');
    const raw = await runPath({ path: 'raw-copy', db: await database('raw'), eventsFile, songsFile });
    note('PostgreSQL: raw COPY of the staging and star rows into the indexed tables …');
    const rawAll = await runPath({ path: 'raw-copy-all', db: await database('rawall'), eventsFile, songsFile, starDir });

    const same = JSON.stringify(duck.tables) === JSON.stringify(duckSql.tables) && JSON.stringify(duck.tables) === JSON.stringify(pgElt.tables);
    const stage = (r: PathResult) => (r.phases ?? []).filter((p) => p.name.startsWith('COPY') || p.name.startsWith('read_json')).reduce((n, p) => n + p.seconds, 0);
    const transform = (r: PathResult) => r.phases?.find((p) => p.name === 'swap and transform')?.seconds ?? 0;
    const row = (path: string, r: PathResult, baseline?: PathResult) => ({
      events, path, seconds: round(r.seconds), 'staging s': round(stage(r)), 'transform s': round(transform(r)),
      'events/s': Math.round(events / r.seconds), 'MB/s': round(mb / r.seconds), 'peak RSS MB': Math.round(r.maxRssMB),
      ratio: baseline ? `${(r.seconds / baseline.seconds).toFixed(2)}×` : '1.00× (baseline)',
    });
    const rows = [
      row('(a) DuckDB hand-written SQL, local files', duckSql),
      row('DuckDB ELT from S3', duck, duckSql),
      row('(b) Postgres raw COPY of the staging rows', raw),
      row('Postgres ELT from S3', pgElt, raw),
      row('(b′) Postgres raw COPY, staging + star rows', rawAll),
      row('Postgres ELT from S3 vs (b′)', pgElt, rawAll),
    ];
    report.push({ events, inputMB: mb, uploadSeconds, sameStarTables: same, rows, phases: { duck: duck.phases, duckSql: duckSql.phases, pgElt: pgElt.phases }, reads: { duck: duck.reads, pgElt: pgElt.reads } });
    if (!values.json) {
      process.stdout.write(`\n${events.toLocaleString('en-US')} events (${mb.toFixed(0)} MB JSON), upload ${uploadSeconds.toFixed(1)} s; star tables identical on all three loads: ${same ? 'yes' : 'NO'}\n`);
      process.stdout.write(formatTable(rows));
      process.stdout.write(`Postgres ELT vs raw COPY, staging phase only: ${(stage(pgElt) / raw.seconds).toFixed(2)}×\n`);
      process.stdout.write(`phases: DuckDB ELT ${phaseText(duck)}; hand-written ${phaseText(duckSql)}; Postgres ELT ${phaseText(pgElt)}\n`);
      process.stdout.write(`staging read by: DuckDB ELT ${readsText(duck)}; Postgres ELT ${readsText(pgElt)}\n`);
    }
    await rm(eventsFile, { force: true });
    await rm(songsFile, { force: true });
    await rm(starDir, { recursive: true, force: true });
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
  await postgres.stop();
  await s3.stop();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function phaseText(r: PathResult): string {
  return (r.phases ?? []).map((p) => `${p.name} ${p.seconds.toFixed(1)} s`).join(', ');
}

/** How each staging table was filled: by the engine reading the objects itself, or converted by the loader. */
function readsText(r: PathResult): string {
  return (r.reads ?? []).map((x) => `${x.table} ${x.path === 'direct' ? 'the engine itself' : 'conversion'}${x.declined ? ` (${x.declined})` : ''}`).join(', ');
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
