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
      try {
        await withMetadb(options, async (engine) => {
          const onError = (error: unknown) => process.stderr.write(`scheduler loop: ${(error as Error).message} (retrying)\n`);
          const external = choice.executor === 'none' || box === undefined;
          const { crossProcessWakeups } = await import('../../orchestrator/scheduler-loop/cross-process-wakeups.ts');
          const { WakeSignal } = await import('../../orchestrator/scheduler-loop/wake-signal.ts');
          // On Postgres, with workers in other processes: a try they finish wakes the loop, and a tick that queued wakes
          // them (a local executor and the loop wake each other in-process: scheduler-with-executor.ts).
          const loopWake = new WakeSignal();
          const wakeups = crossProcessWakeups(engine, external ? { finished: () => loopWake.wake() } : {}, onError);
          const loop: RunSchedulerOptions = {
            engine, clock: systemClock, signal: stop.signal, dagFolder, pausedAtCreation: true, idleMs,
            onTick: ({ sync, report: r }) => {
              if (r.tasksQueued > 0) wakeups.notify('queued', String(r.tasksQueued));
              if (sync && (sync.parsed.length > 0 || sync.removed.length > 0)) process.stderr.write(`dags: ${sync.parsed.length} parsed, ${sync.importErrors} import errors, ${sync.removed.length} removed\n`);
              for (const f of r.runsFinished) process.stderr.write(`${f.dagId} ${f.runId}: ${f.state}\n`);
            },
          };
          process.stderr.write(`scheduler started on ${engine.description}, DAGs in ${dagFolder}, executor ${choice.executor}${choice.executor === 'local' ? ` (${choice.parallelism} task processes)` : ''}\n`);
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
                secrets: box, dagFolder, parallelism: choice.parallelism,
                onFinished: (c, o) => process.stderr.write(`${c.dagId} ${c.runId} ${c.taskId} try ${c.tryNumber}: ${o.state}${o.error ? ` (${o.error.split('\n', 1)[0]})` : ''}\n`),
                onError,
              },
            }, onError);
          } finally {
            await wakeups.close();
          }
        });
      } finally {
        removeHandlers();
      }
      process.stderr.write('scheduler stopped\n');
    });
}
