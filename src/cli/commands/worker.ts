import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { compileMetadbOptions, metadbFlags, secretBox, withMetadb } from '../metadb-options.ts';

const schema = z.object({
  concurrency: z.coerce.number().int('a whole number').min(1, 'at least 1'),
  dags: z.string().min(1),
  leaseMs: z.coerce.number().int('a whole number of milliseconds').min(100, 'at least 100 ms'),
  pollMs: z.coerce.number().int('a whole number of milliseconds').min(10, 'at least 10 ms'),
  stopGraceMs: z.coerce.number().int('a whole number of milliseconds').min(0, 'at least 0'),
});

export function registerWorker(program: Command): void {
  metadbFlags(program.command('worker').description('run queued task instances from a Postgres metadata database, each in a process of its own (any number of workers, on any machines)'))
    .option('--metadb <url>', 'the same as --db: the postgres://… metadata database shared with the scheduler')
    .option('--concurrency <n>', 'task processes at once (default: the number of CPUs)')
    .option('--dags <dir>', 'the DAG folder, the same files as the scheduler\'s (default: ./dags)', 'dags')
    .option('--lease-ms <ms>', 'a claim lapses this long after the last heartbeat (the worker is then taken for dead)', '30000')
    .option('--poll-ms <ms>', 'with nothing queued, look again after this long (on Postgres, the scheduler also wakes the worker when it queues)', '1000')
    .option('--stop-grace-ms <ms>', 'on SIGTERM, running tasks get this long to finish before they are released to other workers', '60000')
    .action(async (raw) => {
      const options = compileMetadbOptions({ ...raw, db: raw.db ?? raw.metadb });
      const o = compileOptions(schema, { ...raw, concurrency: raw.concurrency ?? availableParallelism() });
      const { configError } = await import('../../core/errors.ts');
      // An embedded PGlite database belongs to one process: there, the scheduler's local executor runs the tasks.
      if (options.db === undefined || !/^postgres(ql)?:\/\//.test(options.db)) {
        throw configError('a worker needs a Postgres metadata database (--metadb postgres://…, or SPARKIFY_METADB); on the embedded one the scheduler runs tasks itself');
      }
      const box = await secretBox(options);
      const { LocalExecutor } = await import('../../orchestrator/executor/local-executor.ts');
      const { crossProcessWakeups } = await import('../../orchestrator/scheduler-loop/cross-process-wakeups.ts');
      const { alertSettings, commandLogger, commandMetrics } = await import('../observability-options.ts');
      const alerts = alertSettings();
      const log = commandLogger('worker');
      const metrics = commandMetrics((error) => log.warn({ err: error }, `statsd: ${error.message}`));
      await withMetadb(options, async (metadb) => {
        const onError = (error: unknown) => log.error({ err: error }, `worker: ${error instanceof Error ? error.message : String(error)}`);
        // The scheduler notifies when it queued (claim at once, not at the next poll) and is notified of each finished
        // try (it queues the downstream tasks at once, not after its idle pause).
        let executor: InstanceType<typeof LocalExecutor> | undefined;
        const wakeups = crossProcessWakeups(metadb, { queued: () => executor?.wake() }, onError);
        executor = new LocalExecutor({
          metadb, secrets: box, dagFolder: resolve(o.dags), parallelism: o.concurrency, leaseMs: o.leaseMs, pollMs: o.pollMs, metrics, alerts,
          onFinished: (c, outcome) => {
            wakeups.notify('finished', executor?.workerId);
            log.info({ dagId: c.dagId, runId: c.runId, taskId: c.taskId, tryNumber: c.tryNumber, state: outcome.state, error: outcome.error },
              `${c.dagId} ${c.runId} ${c.taskId} try ${c.tryNumber}: ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}`);
          },
          onError,
        });
        executor.start();
        log.info({ workerId: executor.workerId, concurrency: o.concurrency, metadb: metadb.description }, `worker ${executor.workerId} started: ${o.concurrency} task processes, DAGs in ${resolve(o.dags)}, ${metadb.description}`);
        // First SIGTERM or SIGINT: finish what runs (up to the grace), claiming nothing new; a second: release it now.
        await new Promise<void>((done) => {
          let signals = 0;
          const onSignal = (signal: NodeJS.Signals) => {
            signals += 1;
            log.info({ signal }, `worker ${executor.workerId}: ${signal}, ${signals === 1 ? `stopping (${executor.running} running, grace ${o.stopGraceMs} ms)` : 'releasing the tasks still running'}`);
            void executor.stop(signals === 1 ? o.stopGraceMs : 0).then(() => {
              process.off('SIGTERM', onSignal);
              process.off('SIGINT', onSignal);
              done();
            });
          };
          process.on('SIGTERM', onSignal);
          process.on('SIGINT', onSignal);
        });
        await wakeups.close();
        await metrics.close();
        log.info(`worker ${executor.workerId} stopped`);
      });
    });
}
