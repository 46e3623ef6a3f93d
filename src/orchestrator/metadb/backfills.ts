import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

export type Reprocess = 'none' | 'failed' | 'completed';

/** A row of orch_backfill: what a `dags backfill` asked for, and its own cap on running runs. */
export interface BackfillRow {
  id: number;
  dagId: string;
  from: Date;
  to: Date;
  reprocess: Reprocess;
  maxActiveRuns: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export interface NewBackfill {
  dagId: string;
  from: Date;
  to: Date;
  reprocess: Reprocess;
  maxActiveRuns: number;
}

/** The DAG's backfill of exactly [from, to] that has not completed, if any (call under the DAG's row lock). */
export async function findOpenBackfill(session: SqlSession, dagId: string, from: Date, to: Date): Promise<BackfillRow | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('find-open-backfill'), [dagId, from, to]);
  return r === undefined ? undefined : backfillRow(r);
}

export async function createBackfillRow(session: SqlSession, backfill: NewBackfill, now: Date): Promise<BackfillRow> {
  const [r] = await session.query<Record<string, unknown>>(sql('create-backfill'), [backfill.dagId, backfill.from, backfill.to, backfill.reprocess, backfill.maxActiveRuns, now]);
  return backfillRow(r as Record<string, unknown>);
}

/** A backfill run again: this command's reprocess mode, and its cap when given (undefined keeps the one it has). */
export async function resumeBackfillRow(session: SqlSession, id: number, reprocess: Reprocess, maxActiveRuns: number | undefined, now: Date): Promise<BackfillRow> {
  const [r] = await session.query<Record<string, unknown>>(sql('resume-backfill'), [id, reprocess, maxActiveRuns ?? null, now]);
  return backfillRow(r as Record<string, unknown>);
}

export async function getBackfill(session: SqlSession, id: number): Promise<BackfillRow | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-backfill'), [id]);
  return r === undefined ? undefined : backfillRow(r);
}

/** An existing run re-run by a backfill becomes one of its runs. */
export async function setDagRunBackfill(session: SqlSession, dagId: string, runId: string, backfillId: number): Promise<void> {
  await session.query(sql('set-dag-run-backfill'), [dagId, runId, backfillId]);
}

/** Completes the DAG's open backfills that have no queued or running run left; returns their ids. */
export async function completeBackfills(session: SqlSession, dagId: string, now: Date): Promise<number[]> {
  return (await session.query<{ id: number }>(sql('complete-backfills'), [dagId, now])).map((r) => r.id);
}

function backfillRow(r: Record<string, unknown>): BackfillRow {
  return {
    id: r.id as number,
    dagId: r.dag_id as string,
    from: r.from_date as Date,
    to: r.to_date as Date,
    reprocess: r.reprocess as Reprocess,
    maxActiveRuns: r.max_active_runs as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    completedAt: (r.completed_at as Date | null) ?? null,
  };
}
