import { LocalExecutor, type ExecutorOptions } from '../executor/local-executor.ts';
import { runScheduler, type RunSchedulerOptions } from '../scheduler-loop/run-scheduler.ts';
import { WakeSignal } from '../scheduler-loop/wake-signal.ts';

/** The executor's settings; its database and clock are the scheduler's. */
export type InProcessExecutorOptions = Omit<ExecutorOptions, 'metadb' | 'clock'>;

export interface SchedulerWithExecutorOptions extends Omit<RunSchedulerOptions, 'wait'> {
  executor: InProcessExecutorOptions;
  /** Once the loop stops, running tries get this long to finish; those still running are released to the queue. */
  stopGraceMs?: number;
  /** Aborted while stopping (a second Ctrl-C): the tries still running are released at once. */
  releaseNow?: AbortSignal;
}

/**
 * The scheduler loop with a LocalExecutor beside it (Airflow's LocalExecutor): the loop queues, the executor claims
 * through the same metadata database, as any worker would, and runs each try in a child process of its own, so task
 * code never runs on this event loop. The two only nudge each other: a tick that queued work wakes the executor, a
 * finished try wakes the loop (its downstream tasks are decided at once, not after the idle pause). When `signal`
 * aborts, the loop ends after its tick and the executor stops within `stopGraceMs`.
 */
export async function runSchedulerWithExecutor(options: SchedulerWithExecutorOptions, onError?: (error: unknown) => void): Promise<void> {
  const { executor: executorOptions, stopGraceMs, releaseNow, ...loop } = options;
  const loopWake = new WakeSignal();
  const executor = new LocalExecutor({
    ...executorOptions, metadb: loop.engine, clock: loop.clock,
    onFinished: (claim, outcome) => {
      loopWake.wake();
      executorOptions.onFinished?.(claim, outcome);
    },
  });
  executor.start();
  try {
    await runScheduler({
      ...loop, wait: loopWake.wait,
      onTick: async (tick) => {
        if (tick.report.tasksQueued > 0) executor.wake();
        await loop.onTick?.(tick);
      },
    }, onError);
  } finally {
    const stopped = executor.stop(stopGraceMs ?? Infinity);
    const now = () => void executor.stop(0);
    if (releaseNow?.aborted) now();
    else releaseNow?.addEventListener('abort', now, { once: true });
    await stopped;
    releaseNow?.removeEventListener('abort', now);
  }
}
