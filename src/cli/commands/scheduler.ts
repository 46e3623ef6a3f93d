import type { Command } from 'commander';
import type { RunSchedulerOptions } from '../../orchestrator/scheduler-loop/run-scheduler.ts';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { compileMetadbOptions, metadbFlags } from '../metadb-options.ts';
import { compileExecutor, executorFlags, onStopSignals } from './local-executor.ts';

const schema = z.object({ idleMs: z.coerce.number().int('a whole number of milliseconds').min(10, 'at least 10 ms') });

export function registerScheduler(program: Command): void {
  executorFlags(metadbFlags(program.command('scheduler').description('run the scheduler until interrupted (any number may run on one Postgres metadata database)'))
    .option('--dags <dir>', 'the DAG folder to process', 'dags')
    .option('--idle-ms <ms>', 'after a tick that found nothing to do, tick again this long later (a finished task is seen within it; on Postgres at once, by notification)', '1000'))
    .action(async (raw) => {
      const options = compileMetadbOptions(raw);
      const choice = compileExecutor(raw, options.db);
      const { idleMs } = compileOptions(schema, raw);
      const { resolve } = await import('node:path');
      const { systemClock } = await import('../../core/clock.ts');
      const { withMetadb, secretBox } = await import('../metadb-options.ts');
      const stop = new AbortController();
      const releaseNow = new AbortController();
      const removeHandlers = onStopSignals(stop, () => releaseNow.abort());
      const dagFolder = resolve(raw.dags);
      const box = choice.executor === 'local' ? await secretBox(options) : undefined;
      const { alertSettings, commandLogger, commandMetrics } = await import('../observability-options.ts');
      const alerts = alertSettings();
      const log = commandLogger('scheduler');
      // The DAG folder is processed in this loop (as Airflow's standalone DAG processor would be): its lines say so.
      const dagProcessorLog = commandLogger('dag-processor');
      const metrics = commandMetrics((error) => log.warn({ err: error }, `statsd: ${error.message}`));
      try {
        await withMetadb(options, async (engine) => {
          const onError = (error: unknown) => log.error({ err: error }, `scheduler loop: ${(error as Error).message} (retrying)`);
          const external = choice.executor === 'none' || box === undefined;
          const { crossProcessWakeups } = await import('../../orchestrator/scheduler-loop/cross-process-wakeups.ts');
          const { WakeSignal } = await import('../../orchestrator/scheduler-loop/wake-signal.ts');
          // On Postgres, with workers in other processes: a try they finish wakes the loop, and a tick that queued wakes
          // them (a local executor and the loop wake each other in-process: scheduler-with-executor.ts).
          const loopWake = new WakeSignal();
          const wakeups = crossProcessWakeups(engine, external ? { finished: () => loopWake.wake() } : {}, onError);
          const loop: RunSchedulerOptions = {
            engine, clock: systemClock, signal: stop.signal, dagFolder, pausedAtCreation: true, idleMs, metrics,
            // Deadline emails need the connections' key, which this scheduler holds only with a local executor.
            ...(box === undefined ? {} : { alerts: { secrets: box, settings: alerts } }),
            onTick: ({ sync, report: r }) => {
              if (r.tasksQueued > 0) wakeups.notify('queued', String(r.tasksQueued));
              if (sync && (sync.parsed.length > 0 || sync.removed.length > 0)) {
                dagProcessorLog.info({ parsed: sync.parsed.length, importErrors: sync.importErrors, removed: sync.removed.length }, `dags: ${sync.parsed.length} parsed, ${sync.importErrors} import errors, ${sync.removed.length} removed`);
              }
              for (const f of r.runsFinished) log.info({ dagId: f.dagId, runId: f.runId, state: f.state, durationMs: f.durationMs }, `${f.dagId} ${f.runId}: ${f.state}`);
            },
          };
          log.info({ metadb: engine.description, dagFolder, executor: choice.executor }, `scheduler started on ${engine.description}, DAGs in ${dagFolder}, executor ${choice.executor}${choice.executor === 'local' ? ` (${choice.parallelism} task processes)` : ''}`);
          try {
            if (external) {
              const { runScheduler } = await import('../../orchestrator/scheduler-loop/run-scheduler.ts');
              await runScheduler({ ...loop, wait: loopWake.wait }, onError);
              return;
            }
            const { runSchedulerWithExecutor } = await import('../../orchestrator/standalone/scheduler-with-executor.ts');
            await runSchedulerWithExecutor({
              ...loop, stopGraceMs: choice.stopGraceMs, releaseNow: releaseNow.signal,
              executor: {
                secrets: box, dagFolder, parallelism: choice.parallelism, metrics, alerts,
                onFinished: (c, o) => log.info({ dagId: c.dagId, runId: c.runId, taskId: c.taskId, tryNumber: c.tryNumber, state: o.state, error: o.error },
                  `${c.dagId} ${c.runId} ${c.taskId} try ${c.tryNumber}: ${o.state}${o.error ? ` (${o.error.split('\n', 1)[0]})` : ''}`),
                onError,
              },
            }, onError);
          } finally {
            await wakeups.close();
          }
        });
      } finally {
        removeHandlers();
        await metrics.close();
      }
      log.info('scheduler stopped');
    });
}
