import { createHash } from 'node:crypto';
import type { SqlSession } from '../../engines/engine.ts';

/** The star tables and their keys, for content checksums. */
export const starKeys = { songplays: 'songplay_id', users: 'user_id', songs: 'song_id', artists: 'artist_id', time: 'start_time' } as const;

const timestampColumns: Record<string, readonly string[]> = {
  songplays: ['start_time'], users: ['level_at'], time: ['start_time'],
};

export interface TableChecksum {
  table: string;
  rows: number;
  sha256: string;
}

/**
 * Per-table row counts and content checksums that are equal across engines exactly when the tables hold the same
 * rows: values are rendered in one canonical text in JS (timestamps are read as text, which DuckDB and Postgres
 * print alike), and rows are sorted in JS so neither engine's collation matters.
 */
export async function tableChecksums(db: SqlSession, tables: readonly string[] = Object.keys(starKeys)): Promise<TableChecksum[]> {
  const out: TableChecksum[] = [];
  for (const table of tables) {
    const columns = await columnNames(db, table);
    const select = columns.map((c) => (timestampColumns[table]?.includes(c) ? `CAST(${c} AS VARCHAR) AS ${c}` : c)).join(', ');
    const rows = await db.query<Record<string, unknown>>(`SELECT ${select} FROM ${table}`);
    const lines = rows.map((r) => columns.map((c) => canonical(r[c])).join('\t')).sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(`${line}\n`);
    out.push({ table, rows: rows.length, sha256: hash.digest('hex') });
  }
  return out;
}

async function columnNames(db: SqlSession, table: string): Promise<string[]> {
  const rows = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' AND table_schema = current_schema() ORDER BY ordinal_position`);
  return rows.map((r) => r.column_name);
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
