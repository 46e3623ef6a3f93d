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
  /** The backfill (orch_backfill.id) the run belongs to; null: none. */
  backfillId?: number | null;
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
    run.dagId, run.runId, run.version, run.runType, run.logicalDate, run.dataIntervalStart, run.dataIntervalEnd, JSON.stringify(run.conf ?? {}), now, run.backfillId ?? null,
  ]);
  return { created: rows.length > 0 };
}

/** A DAG's runs, newest logical date first, in any of `states` (all when omitted). */
export async function listDagRuns(session: SqlSession, dagId: string, options: { states?: readonly DagRunState[]; limit?: number } = {}): Promise<DagRunRow[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-dag-runs'), [dagId, options.states ? [...options.states] : null, options.limit ?? 100]);
  return rows.map(dagRunRow);
}

/** One run; undefined when there is none. */
export async function getDagRun(session: SqlSession, dagId: string, runId: string): Promise<DagRunRow | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-dag-run'), [dagId, runId]);
  return r === undefined ? undefined : dagRunRow(r);
}

/** The DAG's run at `logicalDate`, if any. */
export async function getDagRunAt(session: SqlSession, dagId: string, logicalDate: Date): Promise<DagRunRow | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-dag-run-at'), [dagId, logicalDate]);
  return r === undefined ? undefined : dagRunRow(r);
}

/** A row of orch_dag_run as read by every query that selects its columns. */
export function dagRunRow(r: Record<string, unknown>): DagRunRow {
  return {
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
    backfillId: (r.backfill_id as number | null | undefined) ?? null,
  };
}

/** Compare-and-set of a run's state: applied only if it is in one of `expected`. */
export async function setDagRunState(session: SqlSession, dagId: string, runId: string, state: DagRunState, expected: readonly DagRunState[], now: Date): Promise<boolean> {
  return (await session.query(sql('set-dag-run-state'), [dagId, runId, state, [...expected], now])).length > 0;
}

/** The data interval of the DAG's latest scheduled run (what nextScheduledRun continues from); undefined: none yet. */
export async function lastScheduledRun(session: SqlSession, dagId: string): Promise<{ dataIntervalStart: Date; dataIntervalEnd: Date } | undefined> {
  const [r] = await session.query<{ data_interval_start: Date; data_interval_end: Date }>(sql('last-scheduled-run'), [dagId]);
  return r && { dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end };
}

export interface ActiveDagRun {
  runId: string;
  runType: RunType;
  state: 'queued' | 'running';
  version: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  queuedAt: Date;
  /** Null until it starts (startQueuedRuns sets it on the row it started). */
  startDate: Date | null;
  /** Its backfill and that backfill's cap on running runs; both null for a run of no backfill. */
  backfillId: number | null;
  backfillMaxActiveRuns: number | null;
}

/** The DAG's queued and running runs, oldest logical date first. */
export async function activeDagRuns(session: SqlSession, dagId: string): Promise<ActiveDagRun[]> {
  const rows = await session.query<{
    run_id: string; run_type: RunType; state: 'queued' | 'running'; version: string; logical_date: Date; data_interval_start: Date; data_interval_end: Date;
    queued_at: Date; start_date: Date | null; backfill_id: number | null; backfill_max_active_runs: number | null;
  }>(sql('active-dag-runs'), [dagId]);
  return rows.map((r) => ({
    runId: r.run_id, runType: r.run_type, state: r.state, version: r.version, logicalDate: r.logical_date,
    dataIntervalStart: r.data_interval_start, dataIntervalEnd: r.data_interval_end, queuedAt: r.queued_at, startDate: r.start_date,
    backfillId: r.backfill_id, backfillMaxActiveRuns: r.backfill_max_active_runs,
  }));
}

/** How many of the DAG's runs at `logicalDates` are in each state (absent states: none). */
export async function runStatesAt(session: SqlSession, dagId: string, logicalDates: readonly Date[]): Promise<Partial<Record<DagRunState, number>>> {
  const rows = await session.query<{ state: DagRunState; n: number }>(sql('run-states-at'), [dagId, [...logicalDates]]);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
