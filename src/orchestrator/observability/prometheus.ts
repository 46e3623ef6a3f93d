import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The orchestrator's figures in Prometheus form: the same events as the StatsD names (statsd.ts), with Airflow's
 * dotted names turned into Prometheus ones (`dagrun.duration.success.<dag>` → `sparkify_dagrun_duration_seconds
 * {dag_id, state}`), ids as labels rather than name parts. One registry per process: GET /metrics shows the scheduler
 * and executor that run in the serving process (separate processes: scrape StatsD through statsd_exporter, as Airflow
 * does).
 */
export const registry = new Registry();

const durationBuckets = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600];

export const prom = {
  dagrunDuration: new Histogram({ name: 'sparkify_dagrun_duration_seconds', help: 'DAG run duration, by final state', labelNames: ['dag_id', 'state'], buckets: durationBuckets, registers: [registry] }),
  dagrunScheduleDelay: new Histogram({ name: 'sparkify_dagrun_schedule_delay_seconds', help: "A scheduled run's start after its data interval's end", labelNames: ['dag_id'], buckets: durationBuckets, registers: [registry] }),
  tiStart: new Counter({ name: 'sparkify_ti_start_total', help: 'Task tries started', labelNames: ['dag_id', 'task_id'], registers: [registry] }),
  tiFinish: new Counter({ name: 'sparkify_ti_finish_total', help: 'Task tries finished, by state', labelNames: ['dag_id', 'task_id', 'state'], registers: [registry] }),
  tiSuccesses: new Counter({ name: 'sparkify_ti_successes_total', help: 'Task tries that succeeded', registers: [registry] }),
  tiFailures: new Counter({ name: 'sparkify_ti_failures_total', help: 'Task tries that failed (retried or not)', registers: [registry] }),
  schedulerHeartbeat: new Counter({ name: 'sparkify_scheduler_heartbeat_total', help: 'Scheduler loops', registers: [registry] }),
  importErrors: new Gauge({ name: 'sparkify_dag_processing_import_errors', help: 'DAG files that failed to import', registers: [registry] }),
  poolOpenSlots: new Gauge({ name: 'sparkify_pool_open_slots', help: 'Pool slots free', labelNames: ['pool'], registers: [registry] }),
  poolRunningSlots: new Gauge({ name: 'sparkify_pool_running_slots', help: 'Pool slots taken by running tries', labelNames: ['pool'], registers: [registry] }),
  poolQueuedSlots: new Gauge({ name: 'sparkify_pool_queued_slots', help: 'Pool slots taken by queued task instances', labelNames: ['pool'], registers: [registry] }),
  executorRunningTasks: new Gauge({ name: 'sparkify_executor_running_tasks', help: "Tries running in this process's executor", registers: [registry] }),
  executorOpenSlots: new Gauge({ name: 'sparkify_executor_open_slots', help: "Free slots of this process's executor", registers: [registry] }),
  executorQueuedTasks: new Gauge({ name: 'sparkify_executor_queued_tasks', help: 'Task instances queued for the executors', registers: [registry] }),
  deadlineMisses: new Counter({ name: 'sparkify_deadline_misses_total', help: 'Deadlines missed, recorded once each', labelNames: ['dag_id'], registers: [registry] }),
};

/** The content type of metricsText() (Prometheus text exposition format 0.0.4). */
export const contentType = registry.contentType;

/** The registry in Prometheus text format, for GET /metrics. */
export async function metricsText(): Promise<string> {
  return registry.metrics();
}
