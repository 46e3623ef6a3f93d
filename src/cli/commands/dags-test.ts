import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, secretBox, withMetadb } from '../metadb-options.ts';
import { syncDagsFor } from './dag-folder-option.ts';
import { compileExecutor, executorFlags, onStopSignals } from './local-executor.ts';

export function registerDagsTest(dags: Command): void {
  executorFlags(metadbFlags(dags.command('test <dag>')
    .description('run the DAG once for a logical date, here and now: the scheduler\'s decisions and the local executor, each task\'s state and log as it ends; exit 1 if the run fails'))
    .option('--date <iso>', 'the logical date, rounded down to the schedule: the run covers what that scheduled run covers (default: now)')
    .option('--dags <dir>', 'the DAG folder, scanned first (default: ./dags)')
    .option('--metadb <target>', 'the same as --db'), false)
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions({ ...raw, db: raw.db ?? raw.metadb });
      const choice = compileExecutor({ ...raw, executor: 'local' }, options.db);
      const { configError, SparkifyError } = await import('../../core/errors.ts');
      const date = raw.date === undefined ? new Date() : new Date(raw.date);
      if (Number.isNaN(date.getTime())) throw configError(`--date: not an ISO date: ${raw.date}`);
      const box = await secretBox(options);
      const { resolve } = await import('node:path');
      const { systemClock } = await import('../../core/clock.ts');
      const { readLog } = await import('../../orchestrator/metadb/task-logs.ts');
      const { testDagRun } = await import('../../orchestrator/standalone/test-dag-run.ts');
      const stop = new AbortController();
      const removeHandlers = onStopSignals(stop);
      const result = await withMetadb(options, async (engine) => {
        await syncDagsFor(engine, { dags: raw.dags ?? 'dags' });
        // Each try's state and log, in the order they end (a log is read once its try is recorded).
        let printed = Promise.resolve();
        const out = options.json ? process.stderr : process.stdout;
        try {
          const r = await testDagRun({
            engine, clock: systemClock, dagId, date, signal: stop.signal,
            executor: {
              secrets: box, dagFolder: resolve(raw.dags ?? 'dags'), parallelism: choice.parallelism,
              onFinished: (c, o) => {
                printed = printed.then(async () => {
                  const log = (await readLog(engine, c, c.tryNumber)).map((chunk) => chunk.text).join('');
                  out.write(`[${new Date().toISOString()}] ${c.taskId} try ${c.tryNumber}/${c.maxTries}: ${o.state}${o.error ? ` (${o.error.split('\n', 1)[0]})` : ''}\n`);
                  for (const line of log.replace(/\n$/, '').split('\n')) if (line !== '') out.write(`    | ${line}\n`);
                });
              },
              onError: (error) => process.stderr.write(`executor: ${error instanceof Error ? error.message : String(error)}\n`),
            },
          });
          await printed;
          return r;
        } finally {
          removeHandlers();
        }
      });
      const { run, tasks } = result;
      if (options.json) printJson(result);
      else {
        const { formatTable } = await import('../../core/table.ts');
        process.stdout.write(formatTable(tasks.map((t) => ({ task: t.taskId, state: t.state, tries: t.tryNumber }))));
        process.stdout.write(`${dagId} ${run.runId} (data interval ${run.dataIntervalStart.toISOString()} .. ${run.dataIntervalEnd.toISOString()}): ${run.state}\n`);
      }
      if (run.state !== 'success') {
        const failed = tasks.filter((t) => t.state === 'failed').map((t) => t.taskId);
        const upstream = tasks.filter((t) => t.state === 'upstream_failed').map((t) => t.taskId);
        throw new SparkifyError('SPK_E_RUN_FAILED', `run ${run.runId} of ${dagId} ${run.state}: failed: ${failed.join(', ') || 'none'}` +
          `${upstream.length > 0 ? `; upstream failed: ${upstream.join(', ')}` : ''}`, { details: { dagId, runId: run.runId, failed, upstreamFailed: upstream } });
      }
    });
}
