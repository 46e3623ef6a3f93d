import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { listImportErrors } from '../metadb/import-errors.ts';
import { listPools } from '../metadb/pools.ts';
import type { OrchestratorMetrics } from '../observability/metrics.ts';
import type { AlertSettings } from '../alerts/alert-settings.ts';
import { sendDeadlineAlerts } from '../alerts/send-deadline-alerts.ts';
import { runCallbackRequests } from '../callbacks/run-callbacks.ts';
import type { SecretBox } from '../metadb/secrets/secret-box.ts';
import { DagVersions } from './dag-versions.ts';
import { schedulerTick, type TickReport } from './scheduler-tick.ts';
import { syncDagFolder, type DagFolderSync } from './sync-dag-folder.ts';

export interface SchedulerOptions {
  engine: SqlEngine;
  clock: Clock;
  /** The DAG folder to process before ticks (Airflow's DAG processor, here in the same loop); none: DAGs are stored already. */
  dagFolder?: string;
  /** How often the folder is scanned, by `clock` (default 30 s, Airflow's min_file_process_interval). */
  dagFolderIntervalMs?: number;
  dagFileTimeoutMs?: number;
  pausedAtCreation?: boolean;
  queueLimit?: number;
  /**
   * DAG-run and deadline callbacks are run after each tick, each in a child process importing the DAG file, when a
   * DAG folder is given (a scheduler without one leaves them to one with it). Their time limit (default 60 s).
   */
  callbackTimeoutMs?: number;
  /** Deadline emails are sent after each tick when given (they need the connections' key); else left pending. */
  alerts?: { secrets: SecretBox; settings?: AlertSettings };
  /** Where each tick's figures go (StatsD and this process's Prometheus registry); none: not measured. */
  metrics?: OrchestratorMetrics;
}

export interface Scheduler {
  /** One loop: the DAG folder if its interval has passed, then one schedulerTick. Tests drive the scheduler with this. */
  tick(): Promise<{ sync?: DagFolderSync; report: TickReport }>;
}

/** A scheduler's state across ticks (its version cache, when it last scanned the DAG folder); no timers of its own. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const versions = new DagVersions();
  let lastSync: number | undefined;
  return {
    async tick() {
      let sync: DagFolderSync | undefined;
      const now = options.clock.now().getTime();
      if (options.dagFolder !== undefined && (lastSync === undefined || now - lastSync >= (options.dagFolderIntervalMs ?? 30_000))) {
        sync = await syncDagFolder(options.engine, options.clock, {
          folder: options.dagFolder,
          ...(options.dagFileTimeoutMs === undefined ? {} : { timeoutMs: options.dagFileTimeoutMs }),
          ...(options.pausedAtCreation === undefined ? {} : { pausedAtCreation: options.pausedAtCreation }),
        });
        lastSync = now;
      }
      const report = await schedulerTick(options.engine, options.clock, { versions, ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }) });
      if (options.metrics !== undefined) await measureTick(options, report, sync !== undefined);
      // After the tick's commit: what it queued is visible, and slow user code or mail never holds a DAG's lock.
      const callbacks = options.dagFolder === undefined ? [] : await runCallbackRequests(options.engine, options.clock, {
        dagFolder: options.dagFolder, ...(options.callbackTimeoutMs === undefined ? {} : { timeoutMs: options.callbackTimeoutMs }),
      });
      const alerts = options.alerts === undefined ? { sent: 0, failed: 0 } : await sendDeadlineAlerts(options.engine, options.clock, options.alerts.secrets, options.alerts.settings);
      report.callbacksRun = callbacks.length;
      report.deadlineAlertsSent = alerts.sent;
      report.deadlineAlertsFailed = alerts.failed;
      return sync === undefined ? { report } : { sync, report };
    },
  };
}

/**
 * Airflow's scheduler figures after a tick: the heartbeat, each finished run's duration, each scheduled run's delay,
 * the pools' slots (and the queue the executors draw from); after a scan of the DAG folder, its import errors (all of
 * them, as Airflow's gauge, not only this scan's).
 */
async function measureTick(options: SchedulerOptions, report: TickReport, scanned: boolean): Promise<void> {
  const m = options.metrics as OrchestratorMetrics;
  m.heartbeat();
  for (const f of report.runsFinished) m.dagRunFinished(f.dagId, f.state, f.durationMs);
  for (const s of report.scheduleDelays) m.scheduleDelay(s.dagId, s.delayMs);
  for (const d of report.deadlinesMissed) m.deadlineMissed(d.dagId);
  m.pools(await listPools(options.engine));
  if (scanned) m.importErrors((await listImportErrors(options.engine)).length);
}

export interface RunSchedulerOptions extends SchedulerOptions {
  /** Stops the loop (after the tick in progress). */
  signal: AbortSignal;
  /** Pause between ticks when the last one did nothing (default 1 s); a busy tick is followed at once. */
  idleMs?: number;
  /** Waits `ms` or until aborted: the real timer by default; injectable so that a test loop never sleeps. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Awaited before the next tick (a progress report may read the database). */
  onTick?: (tick: { sync?: DagFolderSync; report: TickReport }) => void | Promise<void>;
}

/** Loops ticks until `signal` aborts. A tick that fails (the database restarting) is reported and the loop goes on. */
export async function runScheduler(options: RunSchedulerOptions, onError: (error: unknown) => void = () => undefined): Promise<void> {
  const scheduler = createScheduler(options);
  const wait = options.wait ?? abortableDelay;
  while (!options.signal.aborted) {
    let busy = false;
    try {
      const tick = await scheduler.tick();
      await options.onTick?.(tick);
      const r = tick.report;
      busy = r.runsCreated + r.runsStarted + r.runsFinished.length + r.tasksScheduled + r.tasksQueued + r.retriesDue + r.leasesReaped + r.callbacksRun > 0;
    } catch (error) {
      onError(error);
    }
    if (!busy && !options.signal.aborted) await wait(options.idleMs ?? 1000, options.signal);
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
