import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { completeBackfills } from '../metadb/backfills.ts';
import { activeDagRuns } from '../metadb/dag-runs.ts';
import { dagsToSchedule, lockDag } from '../metadb/dags.ts';
import { advanceRunningRuns } from './advance-running-runs.ts';
import { checkDeadlines } from './check-deadlines.ts';
import { createScheduledRuns } from './create-scheduled-runs.ts';
import { DagVersions } from './dag-versions.ts';
import { queueScheduledTasks } from './queue-scheduled-tasks.ts';
import { reapLapsedLeases } from './reap-lapsed-leases.ts';
import { startQueuedRuns } from './start-queued-runs.ts';

export interface SchedulerTickOptions {
  /** Serialised versions read in earlier ticks (a long-running scheduler passes the same one every time). */
  versions?: DagVersions;
  /** At most this many task instances queued per tick (default 512). */
  queueLimit?: number;
}

export interface TickReport {
  /** DAGs visited, and those left because another scheduler held them (they come next tick). */
  dags: number;
  dagsBusy: number;
  runsCreated: number;
  runsStarted: number;
  runsFinished: { dagId: string; runId: string; state: 'success' | 'failed'; durationMs: number }[];
  /** Scheduled runs started, each this long after its data interval ended (Airflow's dagrun.schedule_delay). */
  scheduleDelays: { dagId: string; runId: string; delayMs: number }[];
  /** Backfills whose last run ended (orch_backfill.completed_at set). */
  backfillsCompleted: { dagId: string; id: number }[];
  /** Deadlines found missed in this tick (each recorded once, ever); taskId null: the run's own. */
  deadlinesMissed: { dagId: string; runId: string; taskId: string | null }[];
  tasksScheduled: number;
  tasksSkipped: number;
  tasksUpstreamFailed: number;
  retriesDue: number;
  tasksQueued: number;
  leasesReaped: number;
  /** Set by the Scheduler's tick (run-scheduler.ts) after this one: callback requests run, deadline emails sent/failed. */
  callbacksRun: number;
  deadlineAlertsSent: number;
  deadlineAlertsFailed: number;
}

/**
 * One loop of the scheduler, at `clock.now()`, from the serialised DAGs in the metadata database only (it never
 * imports a DAG file or an operator). In short transactions: lapsed leases are reaped; then each DAG, under its row
 * lock (SKIP LOCKED: a DAG another scheduler holds is left for the next tick), gets its due scheduled runs, its queued
 * runs started within maxActiveRuns (a backfill's within its own), its running runs advanced (retries due, trigger
 * rules, run states) and its backfills with no run left completed; then scheduled task instances are queued for the
 * executors. Safe with any number of schedulers at once.
 */
export async function schedulerTick(engine: SqlEngine, clock: Clock, options: SchedulerTickOptions = {}): Promise<TickReport> {
  const versions = options.versions ?? new DagVersions();
  const report: TickReport = {
    dags: 0, dagsBusy: 0, runsCreated: 0, runsStarted: 0, runsFinished: [], scheduleDelays: [], backfillsCompleted: [], deadlinesMissed: [], tasksScheduled: 0, tasksSkipped: 0, tasksUpstreamFailed: 0,
    retriesDue: 0, tasksQueued: 0, leasesReaped: 0, callbacksRun: 0, deadlineAlertsSent: 0, deadlineAlertsFailed: 0,
  };
  report.leasesReaped = await reapLapsedLeases(engine, clock.now(), versions);
  for (const dagId of await dagsToSchedule(engine)) {
    // One transaction per DAG: the locks are held for one DAG's few statements, not the whole loop.
    const visited = await engine.transaction(async (tx) => {
      const locked = await lockDag(tx, dagId);
      if (locked === undefined || locked.serialized === null || locked.latestVersion === null) return false;
      const now = clock.now();
      const dag = locked.serialized;
      const active = await activeDagRuns(tx, dagId);
      const open = locked.isActive && !locked.isPaused;
      if (open) {
        const created = await createScheduledRuns(tx, dag, locked.latestVersion, active, now);
        report.runsCreated += created;
        if (created > 0) active.splice(0, active.length, ...(await activeDagRuns(tx, dagId)));
      }
      const started = await startQueuedRuns(tx, dag.maxActiveRuns, active, open, now, dagId);
      report.runsStarted += started.length;
      for (const r of started) if (r.runType === 'scheduled') report.scheduleDelays.push({ dagId, runId: r.runId, delayMs: Math.max(0, now.getTime() - r.dataIntervalEnd.getTime()) });
      const advanced = await advanceRunningRuns(tx, dagId, active, versions, now);
      report.retriesDue += advanced.retriesDue;
      report.tasksScheduled += advanced.scheduled;
      report.tasksSkipped += advanced.skipped;
      report.tasksUpstreamFailed += advanced.upstreamFailed;
      report.runsFinished.push(...advanced.finished.map((f) => ({ dagId, ...f })));
      // After the advance: a run that has just ended is not open, so it never misses a deadline it met.
      const ended = new Set(advanced.finished.map((f) => f.runId));
      const openRuns = active.filter((r) => !ended.has(r.runId));
      report.deadlinesMissed.push(...(await checkDeadlines(tx, dagId, openRuns, versions, now)).map((m) => ({ dagId, ...m })));
      report.backfillsCompleted.push(...(await completeBackfills(tx, dagId, now)).map((id) => ({ dagId, id })));
      return true;
    });
    if (visited) report.dags++;
    else report.dagsBusy++;
  }
  report.tasksQueued = await queueScheduledTasks(engine, clock.now(), options.queueLimit);
  return report;
}
