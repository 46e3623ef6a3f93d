import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { createDagRun, getDagRunAt } from '../metadb/dag-runs.ts';
import { getDag, lockDagForChange } from '../metadb/dags.ts';
import { intervalsBetween } from '../scheduler/intervals-between.ts';
import type { RunInterval } from '../scheduler/run-interval.ts';
import { runId } from '../scheduler/run-id.ts';
import { clearTasks } from './clear-tasks.ts';

/** Airflow 3's reprocess behaviour for runs that exist already: none = only missing ones, failed = and failed ones, completed = and every finished one. */
export type Reprocess = 'none' | 'failed' | 'completed';

export interface BackfillRequest {
  dagId: string;
  from: Date;
  to: Date;
  reprocess: Reprocess;
  now: Date;
  /** Only plan: which intervals would be created, re-run or left. */
  dryRun?: boolean;
}

export interface BackfillPlanItem extends RunInterval {
  action: 'create' | 'reprocess' | 'keep';
  /** The existing run's id and state, if any. */
  runId: string;
  state?: string;
}

/**
 * Creates a backfill: one backfill run (queued) per interval of [from, to] (intervalsBetween, only intervals that have
 * ended), and existing runs of those dates re-run per `reprocess` (their task instances cleared, the run queued
 * again); running and queued runs are left to finish. The scheduler then runs them as any other run, within the DAG's
 * maxActiveRuns for backfills. Running the same backfill again resumes it: what exists is kept (reprocess none).
 */
export async function createBackfill(tx: SqlSession, request: BackfillRequest): Promise<BackfillPlanItem[]> {
  if (!(await lockDagForChange(tx, request.dagId))) throw new SparkifyError('SPK_E_NOT_FOUND', `no DAG ${request.dagId}`);
  const dag = await getDag(tx, request.dagId);
  if (dag?.serialized == null || dag.latestVersion === null) throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${request.dagId} has no stored version`);
  const plan: BackfillPlanItem[] = [];
  for (const interval of intervalsBetween(dag.serialized, request.from, request.to, { now: request.now })) {
    const existing = await getDagRunAt(tx, request.dagId, interval.logicalDate);
    if (existing === undefined) {
      const id = runId('backfill', interval.logicalDate);
      if (!request.dryRun) {
        await createDagRun(tx, {
          dagId: request.dagId, runId: id, version: dag.latestVersion, runType: 'backfill', logicalDate: interval.logicalDate,
          dataIntervalStart: interval.dataIntervalStart, dataIntervalEnd: interval.dataIntervalEnd,
        }, request.now);
      }
      plan.push({ ...interval, action: 'create', runId: id });
      continue;
    }
    const again = (request.reprocess === 'failed' && existing.state === 'failed') ||
      (request.reprocess === 'completed' && (existing.state === 'failed' || existing.state === 'success'));
    if (again && !request.dryRun) await clearTasks(tx, { dagId: request.dagId, runId: existing.runId, now: request.now });
    plan.push({ ...interval, action: again ? 'reprocess' : 'keep', runId: existing.runId, state: existing.state });
  }
  return plan;
}
