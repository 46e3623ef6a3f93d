import type { SqlSession } from '../../engines/engine.ts';
import type { DagRunState, RunType } from '../states.ts';
import { sql } from './sql.ts';

export interface NewDagRun {
  dagId: string;
  runId: string;
  /** The DAG version the run keeps for its whole life. */
  version: string;
  runType: RunType;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf?: Record<string, unknown>;
}

export interface DagRunRow extends Required<NewDagRun> {
  state: DagRunState;
  queuedAt: Date;
  startDate: Date | null;
  endDate: Date | null;
}

/**
 * Creates a queued run unless one of the same logical date exists: `created` false then. The unique key decides, so
 * two schedulers at once never make the same run twice, whoever commits first.
 */
export async function createDagRun(session: SqlSession, run: NewDagRun, now: Date): Promise<{ created: boolean }> {
  const rows = await session.query(sql('create-dag-run'), [
    run.dagId, run.runId, run.version, run.runType, run.logicalDate, run.dataIntervalStart, run.dataIntervalEnd, JSON.stringify(run.conf ?? {}), now,
  ]);
  return { created: rows.length > 0 };
}

/** A DAG's runs, newest logical date first, in any of `states` (all when omitted). */
export async function listDagRuns(session: SqlSession, dagId: string, options: { states?: readonly DagRunState[]; limit?: number } = {}): Promise<DagRunRow[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-dag-runs'), [dagId, options.states ? [...options.states] : null, options.limit ?? 100]);
  return rows.map((r) => ({
    dagId: r.dag_id as string,
    runId: r.run_id as string,
    version: r.version as string,
    runType: r.run_type as RunType,
    state: r.state as DagRunState,
    logicalDate: r.logical_date as Date,
    dataIntervalStart: r.data_interval_start as Date,
    dataIntervalEnd: r.data_interval_end as Date,
    conf: r.conf as Record<string, unknown>,
    queuedAt: r.queued_at as Date,
    startDate: r.start_date as Date | null,
    endDate: r.end_date as Date | null,
  }));
}

/** Compare-and-set of a run's state: applied only if it is in one of `expected`. */
export async function setDagRunState(session: SqlSession, dagId: string, runId: string, state: DagRunState, expected: readonly DagRunState[], now: Date): Promise<boolean> {
  return (await session.query(sql('set-dag-run-state'), [dagId, runId, state, [...expected], now])).length > 0;
}
