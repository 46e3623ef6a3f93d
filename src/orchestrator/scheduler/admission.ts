/**
 * The limits on what may start, as pure rules. The database enforces them again when work is claimed (in the claiming
 * transaction, O2); the scheduler uses the same rules to decide what to queue, so it does not queue what cannot run.
 */

/** How many of a DAG's queued runs may start now: maxActiveRuns minus its running runs (Airflow: oldest first). */
export function runsToStart(maxActiveRuns: number, runningRuns: number, queuedRuns: number): number {
  return Math.max(0, Math.min(queuedRuns, maxActiveRuns - runningRuns));
}

/** A `scheduled` task instance that could be queued. */
export interface QueueCandidate {
  dagId: string;
  runId: string;
  taskId: string;
  pool: string;
  priorityWeight: number;
  logicalDate: Date;
}

export interface AdmissionLimits {
  /** Free slots per pool: its slots minus its queued and running task instances. A pool not listed does not exist. */
  openPoolSlots: Readonly<Record<string, number>>;
  /** Per DAG: maxActiveTasks minus its queued and running task instances (across all its runs). */
  openDagSlots: Readonly<Record<string, number>>;
}

export interface AdmissionResult<T> {
  queue: T[];
  /** Candidates left `scheduled`, with why: the scheduler reports them, and tries again next loop. */
  held: { candidate: T; reason: 'pool_full' | 'unknown_pool' | 'dag_max_active_tasks' }[];
}

/**
 * Which scheduled task instances to queue, in Airflow's order (priority weight, highest first; then the oldest
 * logical date; then ids, for a stable order), each taking one slot of its pool and of its DAG's maxActiveTasks.
 * A full pool does not stop a later candidate of another pool.
 */
export function admitTasks<T extends QueueCandidate>(candidates: readonly T[], limits: AdmissionLimits): AdmissionResult<T> {
  const pools = new Map(Object.entries(limits.openPoolSlots));
  const dags = new Map(Object.entries(limits.openDagSlots));
  const ordered = [...candidates].sort(
    (a, b) =>
      b.priorityWeight - a.priorityWeight ||
      a.logicalDate.getTime() - b.logicalDate.getTime() ||
      compare(a.dagId, b.dagId) ||
      compare(a.runId, b.runId) ||
      compare(a.taskId, b.taskId),
  );
  const result: AdmissionResult<T> = { queue: [], held: [] };
  for (const candidate of ordered) {
    const poolOpen = pools.get(candidate.pool);
    const dagOpen = dags.get(candidate.dagId) ?? 0;
    if (poolOpen === undefined) result.held.push({ candidate, reason: 'unknown_pool' });
    else if (poolOpen <= 0) result.held.push({ candidate, reason: 'pool_full' });
    else if (dagOpen <= 0) result.held.push({ candidate, reason: 'dag_max_active_tasks' });
    else {
      pools.set(candidate.pool, poolOpen - 1);
      dags.set(candidate.dagId, dagOpen - 1);
      result.queue.push(candidate);
    }
  }
  return result;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
