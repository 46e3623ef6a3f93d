import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

export interface ImportErrorRow {
  file: string;
  line: number | null;
  message: string;
  createdAt: Date;
}

/** The file's one current import error (a later one replaces it). */
export async function recordImportError(session: SqlSession, e: Omit<ImportErrorRow, 'createdAt'>, now: Date): Promise<void> {
  await session.query(sql('record-import-error'), [e.file, e.line, e.message, now]);
}

/** The file imported cleanly: its error, if any, goes. */
export async function clearImportError(session: SqlSession, file: string): Promise<void> {
  await session.query(sql('clear-import-error'), [file]);
}

export async function listImportErrors(session: SqlSession): Promise<ImportErrorRow[]> {
  const rows = await session.query<{ file: string; line: number | null; message: string; created_at: Date }>(sql('list-import-errors'));
  return rows.map((r) => ({ file: r.file, line: r.line, message: r.message, createdAt: r.created_at }));
}
