import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags } from '../metadb-options.ts';
import { requireExecutor } from './local-executor.ts';

export function registerScheduler(program: Command): void {
  metadbFlags(program.command('scheduler').description('run the scheduler until interrupted (any number may run on one Postgres metadata database)')
    .option('--executor <name>', 'local (run tasks in this process\'s pool) or none (workers run them)', 'none')
    .option('--parallelism <n>', 'the local executor\'s task slots', '4')
    .option('--dags <dir>', 'the DAG folder to process', 'dags'))
    .action(async (raw) => {
      const options = compileMetadbOptions(raw);
      requireExecutor(raw.executor);
      const { resolve } = await import('node:path');
      const { runScheduler } = await import('../../orchestrator/scheduler-loop/run-scheduler.ts');
      const { systemClock } = await import('../../core/clock.ts');
      const { withMetadb } = await import('../metadb-options.ts');
      const stop = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
      await withMetadb(options, (engine) => runScheduler({
        engine, clock: systemClock, signal: stop.signal, dagFolder: resolve(raw.dags), pausedAtCreation: true,
        onTick: ({ sync, report: r }) => {
          if (sync && (sync.parsed.length > 0 || sync.removed.length > 0)) process.stderr.write(`dags: ${sync.parsed.length} parsed, ${sync.importErrors} import errors, ${sync.removed.length} removed\n`);
          for (const f of r.runsFinished) process.stderr.write(`${f.dagId} ${f.runId}: ${f.state}\n`);
        },
      }, (error) => process.stderr.write(`scheduler loop: ${(error as Error).message} (retrying)\n`)));
    });
}
