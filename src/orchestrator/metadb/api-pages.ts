import type { SqlSession } from '../../engines/engine.ts';
import type { DagRunState } from '../states.ts';
import { dagRunRow, type DagRunRow } from './dag-runs.ts';
import { sql } from './sql.ts';

/**
 * The REST API's reads that the CLI has no need of: pages with a total (limit/offset, as Airflow's API pages), a task
 * instance's every result, a DAG's version numbers.
 */
export async function pageDagRuns(session: SqlSession, dagId: string | null, states: readonly DagRunState[] | null, limit: number, offset: number): Promise<{ runs: DagRunRow[]; total: number }> {
  const rows = await session.query<Record<string, unknown>>(sql('page-dag-runs'), [dagId, states ? [...states] : null, limit, offset]);
  if (rows.length === 0 && offset > 0) {
    // Past the end the window function has no row to ride on: count on their own.
    const [c] = await session.query<{ n: number }>(sql('count-dag-runs'), [dagId, states ? [...states] : null]);
    return { runs: [], total: c?.n ?? 0 };
  }
  return { runs: rows.map(dagRunRow), total: (rows[0]?.total_entries as number | undefined) ?? 0 };
}

export interface StoredResult {
  key: string;
  value: unknown;
  createdAt: Date;
}

export async function listResults(session: SqlSession, dagId: string, runId: string, taskId: string): Promise<StoredResult[]> {
  const rows = await session.query<{ key: string; value: unknown; created_at: Date }>(sql('list-results'), [dagId, runId, taskId]);
  return rows.map((r) => ({ key: r.key, value: r.value, createdAt: r.created_at }));
}

/** version hash → { number, createdAt } for one DAG. */
export async function dagVersionNumbers(session: SqlSession, dagId: string): Promise<Map<string, { number: number; createdAt: Date }>> {
  const rows = await session.query<{ version: string; created_at: Date; version_number: number }>(sql('dag-version-numbers'), [dagId]);
  return new Map(rows.map((r) => [r.version, { number: r.version_number, createdAt: r.created_at }]));
}
