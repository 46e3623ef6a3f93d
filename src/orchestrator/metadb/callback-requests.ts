import type { SqlSession } from '../../engines/engine.ts';
import type { DagRunState } from '../states.ts';
import { sql } from './sql.ts';

export type CallbackKind = 'dag_success' | 'dag_failure' | 'deadline_miss';

/** Queues user code for the callback runner, in the caller's transaction (with the change that calls for it). */
export async function requestCallback(session: SqlSession, r: { dagId: string; runId: string; taskId: string | null; kind: CallbackKind }, now: Date): Promise<void> {
  await session.query(sql('request-callback'), [r.dagId, r.runId, r.taskId ?? '', r.kind, now]);
}

export interface ClaimedCallback {
  id: number;
  dagId: string;
  runId: string;
  taskId: string | null;
  kind: CallbackKind;
  /** The DAG file of the run's version, relative to the DAG folder. */
  file: string;
  run: { state: DagRunState; logicalDate: Date; dataIntervalStart: Date; dataIntervalEnd: Date; queuedAt: Date; startDate: Date | null; endDate: Date | null; conf: Record<string, unknown> };
}

/** Takes up to `limit` pending requests, oldest first, each once (SKIP LOCKED, then 'running'). */
export async function claimCallbackRequests(session: SqlSession, limit: number, now: Date): Promise<ClaimedCallback[]> {
  const claimed = await session.query<{ id: number; dag_id: string; run_id: string; task_id: string; kind: CallbackKind }>(sql('claim-callback-requests'), [limit, now]);
  if (claimed.length === 0) return [];
  const runs = new Map((await session.query<Record<string, unknown>>(sql('callback-request-runs'), [claimed.map((c) => c.id)])).map((r) => [r.id as number, r]));
  return claimed.sort((a, b) => a.id - b.id).map((c) => {
    const r = runs.get(c.id) as Record<string, unknown>;
    return {
      id: c.id, dagId: c.dag_id, runId: c.run_id, taskId: c.task_id === '' ? null : c.task_id, kind: c.kind, file: r.file as string,
      run: {
        state: r.state as DagRunState, logicalDate: r.logical_date as Date, dataIntervalStart: r.data_interval_start as Date, dataIntervalEnd: r.data_interval_end as Date,
        queuedAt: r.queued_at as Date, startDate: r.start_date as Date | null, endDate: r.end_date as Date | null, conf: r.conf as Record<string, unknown>,
      },
    };
  });
}

export async function finishCallbackRequest(session: SqlSession, id: number, outcome: { ok: boolean; error: string | null }, now: Date): Promise<void> {
  await session.query(sql('finish-callback-request'), [id, outcome.ok ? 'done' : 'failed', outcome.error, now]);
}
