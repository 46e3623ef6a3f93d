import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

/** What the DAG processor last read of a DAG file: the same size, mtime and hash mean it need not be parsed again. */
export interface DagFileFingerprint {
  file: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  parsedAt: Date;
  dagIds: string[];
}

export async function recordDagFile(session: SqlSession, f: DagFileFingerprint): Promise<void> {
  await session.query(sql('record-dag-file'), [f.file, f.size, f.mtimeMs, f.sha256, f.parsedAt, f.dagIds]);
}

export async function getDagFile(session: SqlSession, file: string): Promise<DagFileFingerprint | undefined> {
  const [r] = await session.query<{ file: string; size: number; mtime_ms: number; sha256: string; parsed_at: Date; dag_ids: string[] }>(sql('get-dag-file'), [file]);
  return r && { file: r.file, size: Number(r.size), mtimeMs: Number(r.mtime_ms), sha256: r.sha256, parsedAt: r.parsed_at, dagIds: r.dag_ids };
}

/** Every file's fingerprint, by file: what processDagFolder is given so that it parses only new or changed files. */
export async function listDagFiles(session: SqlSession): Promise<DagFileFingerprint[]> {
  const rows = await session.query<{ file: string; size: number; mtime_ms: number; sha256: string; parsed_at: Date; dag_ids: string[] }>(sql('list-dag-files'));
  return rows.map((r) => ({ file: r.file, size: Number(r.size), mtimeMs: Number(r.mtime_ms), sha256: r.sha256, parsedAt: r.parsed_at, dagIds: r.dag_ids }));
}

/** The file left the DAG folder: its fingerprint goes. */
export async function deleteDagFile(session: SqlSession, file: string): Promise<void> {
  await session.query(sql('delete-dag-file'), [file]);
}
