import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { starSql } from '../../src/star/sql-files.ts';

const songplayColumns = 'songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent';

/** Writes the songplays of a loaded database to `file` as COPY CSV, once (kept beside the cached dataset). */
export async function exportSongplays(url: string, file: string): Promise<{ bytes: number }> {
  if (!existsSync(file)) {
    await withClient(url, async (client) => {
      const partial = `${file}.partial`;
      await pipeline(client.query(copyTo(`COPY songplays (${songplayColumns}) TO STDOUT WITH (FORMAT csv)`)), createWriteStream(partial));
      await rename(partial, file);
    });
  }
  return { bytes: (await stat(file)).size };
}

/**
 * The limit the load is measured against: the finished songplay rows COPYed from a file into the empty songplays
 * table with all its indexes (primary key and the three secondary ones). Like the load, it creates the schema in the same transaction, so both get the same WAL
 * treatment (wal_level=minimal skips WAL for tables created in the loading transaction).
 */
export async function rawCopySongplays(url: string, file: string): Promise<{ seconds: number; rows: number }> {
  return withClient(url, async (client) => {
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(starSql('01-schema'));
    await client.query(starSql('10-songplays-indexes'));
    const copy = client.query(copyFrom(`COPY songplays (${songplayColumns}) FROM STDIN WITH (FORMAT csv)`));
    await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), copy);
    await client.query('COMMIT');
    return { seconds: (performance.now() - started) / 1000, rows: Number(copy.rowCount) };
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
