import { prom } from './prometheus.ts';
import type { StatsdSink } from './statsd.ts';

/** A pool's slots as the scheduler counts them (metadb/pools.ts listPools). */
export interface PoolSlots {
  pool: string;
  slots: number;
  running: number;
  queued: number;
}

/**
 * The orchestrator's metrics, each sent under Airflow's StatsD name (so Airflow's dashboards and statsd_exporter
 * mappings fit) when StatsD is on, and always kept in this process's Prometheus registry (prometheus.ts). Ids are
 * part of StatsD names, as Airflow's are; they are labels in Prometheus.
 */
export class OrchestratorMetrics {
  readonly #statsd: StatsdSink | null;
  #executorLast = '';

  constructor(statsd: StatsdSink | null = null) {
    this.#statsd = statsd;
  }

  dagRunFinished(dagId: string, state: 'success' | 'failed', durationMs: number): void {
    this.#statsd?.timing(`dagrun.duration.${state}.${dagId}`, durationMs);
    prom.dagrunDuration.observe({ dag_id: dagId, state }, durationMs / 1000);
  }

  /** A scheduled run started this long after its data interval ended (Airflow's dagrun.schedule_delay). */
  scheduleDelay(dagId: string, delayMs: number): void {
    this.#statsd?.timing(`dagrun.schedule_delay.${dagId}`, delayMs);
    prom.dagrunScheduleDelay.observe({ dag_id: dagId }, delayMs / 1000);
  }

  tiStart(dagId: string, taskId: string): void {
    this.#statsd?.increment(`ti.start.${dagId}.${taskId}`);
    prom.tiStart.inc({ dag_id: dagId, task_id: taskId });
  }

  /** A try's end as recorded: success, failed, up_for_retry, up_for_reschedule (lost and released tries are not ends). */
  tiFinish(dagId: string, taskId: string, state: string): void {
    this.#statsd?.increment(`ti.finish.${dagId}.${taskId}.${state}`);
    prom.tiFinish.inc({ dag_id: dagId, task_id: taskId, state });
    if (state === 'success') {
      this.#statsd?.increment('ti_successes');
      prom.tiSuccesses.inc();
    } else if (state === 'failed' || state === 'up_for_retry') {
      this.#statsd?.increment('ti_failures');
      prom.tiFailures.inc();
    }
  }

  heartbeat(): void {
    this.#statsd?.increment('scheduler_heartbeat');
    prom.schedulerHeartbeat.inc();
  }

  importErrors(count: number): void {
    this.#statsd?.gauge('dag_processing.import_errors', count);
    prom.importErrors.set(count);
  }

  /** Each pool's open, running and queued slots, and the task instances queued for the executors (all pools). */
  pools(pools: readonly PoolSlots[]): void {
    let queued = 0;
    for (const p of pools) {
      const open = Math.max(0, p.slots - p.running - p.queued);
      this.#statsd?.gauge(`pool.open_slots.${p.pool}`, open);
      this.#statsd?.gauge(`pool.running_slots.${p.pool}`, p.running);
      this.#statsd?.gauge(`pool.queued_slots.${p.pool}`, p.queued);
      prom.poolOpenSlots.set({ pool: p.pool }, open);
      prom.poolRunningSlots.set({ pool: p.pool }, p.running);
      prom.poolQueuedSlots.set({ pool: p.pool }, p.queued);
      queued += p.queued;
    }
    this.#statsd?.gauge('executor.queued_tasks', queued);
    prom.executorQueuedTasks.set(queued);
  }

  /** The executor of this process: tries running and slots free; sent when they change (its loop polls often). */
  executor(running: number, open: number): void {
    if (this.#executorLast === `${running}/${open}`) return;
    this.#executorLast = `${running}/${open}`;
    this.#statsd?.gauge('executor.running_tasks', running);
    this.#statsd?.gauge('executor.open_slots', open);
    prom.executorRunningTasks.set(running);
    prom.executorOpenSlots.set(open);
  }

  deadlineMissed(dagId: string): void {
    this.#statsd?.increment(`deadline_alerts.deadline_missed.${dagId}`);
    prom.deadlineMisses.inc({ dag_id: dagId });
  }

  close(): Promise<void> {
    return this.#statsd?.close() ?? Promise.resolve();
  }
}
