import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { starSql } from '../../src/pipelines/star-load/sql-files.ts';

/** The star schema's tables with their columns, in an order that satisfies songs → artists. */
export const starTables = [
  { table: 'artists', columns: 'artist_id, name, location, latitude, longitude' },
  { table: 'songs', columns: 'song_id, title, artist_id, year, duration' },
  { table: 'users', columns: 'user_id, first_name, last_name, gender, level, level_at' },
  { table: 'time', columns: 'start_time, hour, day, week, month, year, weekday' },
  { table: 'songplays', columns: 'songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent' },
] as const;

const csvFile = (dir: string, table: string) => join(dir, `star-${table}.csv`);

/** Writes every star table of a loaded database to `<dir>/star-<table>.csv` as COPY CSV, once (kept beside the dataset). */
export async function exportStarTables(url: string, dir: string): Promise<{ bytes: number }> {
  let bytes = 0;
  await withClient(url, async (client) => {
    for (const { table, columns } of starTables) {
      const file = csvFile(dir, table);
      if (!existsSync(file)) {
        const partial = `${file}.partial`;
        await pipeline(client.query(copyTo(`COPY ${table} (${columns}) TO STDOUT WITH (FORMAT csv)`)), createWriteStream(partial));
        await rename(partial, file);
      }
      bytes += (await stat(file)).size;
    }
  });
  return { bytes };
}

export interface RawCopyResult {
  seconds: number;
  /** Rows per table and the seconds each COPY took. */
  tables: { table: string; rows: number; seconds: number }[];
}

/**
 * The limit the load is measured against: the finished rows of every star table COPYed from files into the empty
 * tables with all their indexes (primary keys, the songs lookup index and songplays' three secondary ones), the
 * output a load must write, without reading, validating or transforming anything. Like the load, it creates the
 * schema in the same transaction, so both get the same WAL treatment (wal_level=minimal skips WAL for tables created
 * in the loading transaction).
 */
export async function rawCopyStar(url: string, dir: string): Promise<RawCopyResult> {
  return withClient(url, async (client) => {
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(starSql('01-schema'));
    await client.query(starSql('11-songplays-indexes'));
    const tables: RawCopyResult['tables'] = [];
    for (const { table, columns } of starTables) {
      const began = performance.now();
      const copy = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(createReadStream(csvFile(dir, table), { highWaterMark: 1024 * 1024 }), copy);
      tables.push({ table, rows: Number(copy.rowCount), seconds: (performance.now() - began) / 1000 });
    }
    await client.query('COMMIT');
    return { seconds: (performance.now() - started) / 1000, tables };
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
