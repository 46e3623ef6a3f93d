/**
 * One measured path of bench/warehouse-load.ts, in its own process so its peak RSS is its own. Reads a JSON job
 * from argv[2]; prints one JSON line: { seconds, maxRssMB, ... }.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { S3Config } from '../../src/storage/s3/s3-config.ts';
import { applyWarehouseLoad } from '../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { stagingTableDdl } from '../../src/pipelines/warehouse/staging-ddl.ts';
import { stagingEvents, stagingSongs } from '../../src/pipelines/warehouse/staging-tables.ts';
import { countStarTables } from '../../src/pipelines/star-load/star-queries.ts';
import { planWarehouseLoad } from '../../src/pipelines/warehouse/warehouse-plan.ts';
import { starTables } from '../support/raw-copy.ts';
import { handWrittenStaging } from './hand-written-duckdb.ts';

export type Job =
  | { path: 'elt'; target: 'duckdb' | 'postgres'; db: string; from: string; s3: S3Config; concurrency: number }
  | { path: 'duckdb-sql'; db: string; dir: string }
  | { path: 'export-staging'; db: string; eventsFile: string; songsFile: string; starDir: string }
  | { path: 'raw-copy'; db: string; eventsFile: string; songsFile: string }
  | { path: 'raw-copy-all'; db: string; eventsFile: string; songsFile: string; starDir: string };


const job = JSON.parse(process.argv[2] as string) as Job;
const started = performance.now();
const result = await run(job);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, ...result })}\n`);

async function run(j: Job): Promise<Record<string, unknown>> {
  switch (j.path) {
    case 'elt': {
      const engine: SqlEngine = j.target === 'duckdb' ? await DuckDbEngine.open({ path: j.db }) : new PostgresEngine({ connectionString: j.db });
      try {
        const plan = planWarehouseLoad({
          target: j.target, songs: `${j.from}/song_data`, events: `${j.from}/log_data`, eventsFormat: `${j.from}/log_json_path.json`, maxErrors: 0,
        });
        const r = await applyWarehouseLoad(plan, engine, { open: (l) => openStore(l, j.s3), loadId: 'bench', concurrency: j.concurrency });
        return { rows: r.staging, tables: r.tables, phases: r.phases, reads: r.reads };
      } finally {
        await engine.close();
      }
    }
    case 'duckdb-sql': {
      const engine = await DuckDbEngine.open({ path: j.db });
      try {
        const phases = await handWrittenStaging(engine, j.dir);
        return { tables: await countStarTables(engine), phases };
      } finally {
        await engine.close();
      }
    }
    case 'export-staging':
      return withClient(j.db, async (c) => {
        await pipeline(c.query(copyTo('COPY staging_events TO STDOUT WITH (FORMAT csv)')), createWriteStream(j.eventsFile));
        await pipeline(c.query(copyTo('COPY staging_songs TO STDOUT WITH (FORMAT csv)')), createWriteStream(j.songsFile));
        for (const { table, columns } of starTables) await pipeline(c.query(copyTo(`COPY ${table} (${columns}) TO STDOUT WITH (FORMAT csv)`)), createWriteStream(join(j.starDir, `${table}.csv`)));
        return {};
      });
    case 'raw-copy-all':
      return rawCopyAll(j);
    case 'raw-copy':
      // The same rows, already converted, COPYed from local CSV files into fresh staging tables: what loading the
      // staging tables costs Postgres itself, with no object store, no JSON and no transform.
      return withClient(j.db, async (c) => {
        await c.query('BEGIN');
        await c.query(`${stagingTableDdl('postgres', stagingEvents, 'raw_events', false)}\n${stagingTableDdl('postgres', stagingSongs, 'raw_songs', false)}`);
        const events = c.query(copyFrom('COPY raw_events FROM STDIN WITH (FORMAT csv)'));
        await pipeline(createReadStream(j.eventsFile, { highWaterMark: 1 << 20 }), events);
        const songs = c.query(copyFrom('COPY raw_songs FROM STDIN WITH (FORMAT csv)'));
        await pipeline(createReadStream(j.songsFile, { highWaterMark: 1 << 20 }), songs);
        await c.query('COMMIT');
        return { rows: Number(events.rowCount) + Number(songs.rowCount) };
      });
  }
}

/** Every row the ELT writes, from local CSV files, in one transaction: its staging tables and its indexed star tables. */
async function rawCopyAll(j: Extract<Job, { path: 'raw-copy-all' }>): Promise<Record<string, unknown>> {
  const plan = planWarehouseLoad({ target: 'postgres', songs: 's3://b/song_data', events: 's3://b/log_data', eventsFormat: 'auto', maxErrors: 0 });
  return withClient(j.db, async (c) => {
    for (const step of plan.prepare) await c.query(step.sql);
    await c.query('BEGIN');
    let rows = 0;
    const copy = async (file: string, sql: string) => {
      const stream = c.query(copyFrom(sql));
      await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
      rows += Number(stream.rowCount);
    };
    await copy(j.eventsFile, 'COPY staging_events FROM STDIN WITH (FORMAT csv)');
    await copy(j.songsFile, 'COPY staging_songs FROM STDIN WITH (FORMAT csv)');
    for (const { table, columns } of starTables) await copy(join(j.starDir, `${table}.csv`), `COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv)`);
    await c.query('COMMIT');
    return { rows };
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
