import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { createBackfillRow, findOpenBackfill, resumeBackfillRow, setDagRunBackfill, type Reprocess } from '../metadb/backfills.ts';
import { createDagRun, getDagRunAt } from '../metadb/dag-runs.ts';
import { getDag, lockDagForChange } from '../metadb/dags.ts';
import { intervalsBetween } from '../scheduler/intervals-between.ts';
import type { RunInterval } from '../scheduler/run-interval.ts';
import { runId } from '../scheduler/run-id.ts';
import { clearTasks } from './clear-tasks.ts';

/** Airflow 3's reprocess behaviour for runs that exist already: none = only missing ones, failed = and failed ones, completed = and every finished one. */
export type { Reprocess };

export interface BackfillRequest {
  dagId: string;
  from: Date;
  to: Date;
  reprocess: Reprocess;
  now: Date;
  /**
   * At most this many of the backfill's runs running at once, apart from the DAG's other runs (Airflow 3's backfill
   * max_active_runs). Default: the DAG's maxActiveRuns for a new backfill; a resumed one keeps the cap it has.
   */
  maxActiveRuns?: number;
  /** Only plan: which intervals would be created, re-run or left. */
  dryRun?: boolean;
}

export interface BackfillPlan {
  /** The orch_backfill row made or resumed (id null: a dry run of a new one). */
  backfill: { id: number | null; resumed: boolean; dagId: string; from: Date; to: Date; reprocess: Reprocess; maxActiveRuns: number };
  runs: BackfillPlanItem[];
}

export interface BackfillPlanItem extends RunInterval {
  action: 'create' | 'reprocess' | 'keep';
  /** The existing run's id and state, if any. */
  runId: string;
  state?: string;
}

/** openBackfill's runs only, for callers that need nothing of the backfill's row. */
export async function createBackfill(tx: SqlSession, request: BackfillRequest): Promise<BackfillPlanItem[]> {
  return (await openBackfill(tx, request)).runs;
}

/**
 * Opens a backfill: an orch_backfill row (its range, reprocess mode and its own maxActiveRuns), one backfill run
 * (queued) of it per interval of [from, to] (intervalsBetween, only intervals that have ended), and existing runs of
 * those dates re-run per `reprocess` (their task instances cleared, the run queued again and made the backfill's);
 * running and queued runs are left to finish. The scheduler then runs them as any other run, within the backfill's
 * maxActiveRuns (startQueuedRuns). Running the same backfill again (same DAG and range, not yet completed) resumes its
 * row: what exists is kept (reprocess none), what is missing is made.
 */
export async function openBackfill(tx: SqlSession, request: BackfillRequest): Promise<BackfillPlan> {
  if (request.maxActiveRuns !== undefined && !(Number.isInteger(request.maxActiveRuns) && request.maxActiveRuns >= 1)) {
    throw new SparkifyError('SPK_E_CONFIG', `a backfill's maxActiveRuns must be a whole number >= 1, not ${request.maxActiveRuns}`);
  }
  if (!(await lockDagForChange(tx, request.dagId))) throw new SparkifyError('SPK_E_NOT_FOUND', `no DAG ${request.dagId}`);
  const dag = await getDag(tx, request.dagId);
  if (dag?.serialized == null || dag.latestVersion === null) throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${request.dagId} has no stored version`);
  const intervals = intervalsBetween(dag.serialized, request.from, request.to, { now: request.now });
  const open = await findOpenBackfill(tx, request.dagId, request.from, request.to);
  const backfill: BackfillPlan['backfill'] = {
    id: open?.id ?? null, resumed: open !== undefined, dagId: request.dagId, from: request.from, to: request.to, reprocess: request.reprocess,
    maxActiveRuns: request.maxActiveRuns ?? open?.maxActiveRuns ?? dag.serialized.maxActiveRuns,
  };
  if (!request.dryRun) {
    const row = open === undefined
      ? await createBackfillRow(tx, { dagId: request.dagId, from: request.from, to: request.to, reprocess: request.reprocess, maxActiveRuns: backfill.maxActiveRuns }, request.now)
      : await resumeBackfillRow(tx, open.id, request.reprocess, request.maxActiveRuns, request.now);
    backfill.id = row.id;
  }
  const runs: BackfillPlanItem[] = [];
  for (const interval of intervals) {
    const existing = await getDagRunAt(tx, request.dagId, interval.logicalDate);
    if (existing === undefined) {
      const id = runId('backfill', interval.logicalDate);
      if (!request.dryRun) {
        await createDagRun(tx, {
          dagId: request.dagId, runId: id, version: dag.latestVersion, runType: 'backfill', logicalDate: interval.logicalDate,
          dataIntervalStart: interval.dataIntervalStart, dataIntervalEnd: interval.dataIntervalEnd, backfillId: backfill.id,
        }, request.now);
      }
      runs.push({ ...interval, action: 'create', runId: id });
      continue;
    }
    const again = (request.reprocess === 'failed' && existing.state === 'failed') ||
      (request.reprocess === 'completed' && (existing.state === 'failed' || existing.state === 'success'));
    if (again && !request.dryRun) {
      await clearTasks(tx, { dagId: request.dagId, runId: existing.runId, now: request.now });
      await setDagRunBackfill(tx, request.dagId, existing.runId, backfill.id as number);
    }
    runs.push({ ...interval, action: again ? 'reprocess' : 'keep', runId: existing.runId, state: existing.state });
  }
  return { backfill, runs };
}
