import type { Command } from 'commander';
import type { RunSchedulerOptions } from '../../orchestrator/scheduler-loop/run-scheduler.ts';
import { compileMetadbOptions, metadbFlags, printJson, secretBox, withMetadb } from '../metadb-options.ts';
import { syncDagsFor } from './dag-folder-option.ts';
import { compileExecutor, executorFlags, onStopSignals } from './local-executor.ts';

export function registerDagsBackfill(dags: Command): void {
  executorFlags(metadbFlags(dags.command('backfill <dag>').description('run a DAG over past intervals through the scheduler (running it again resumes it)')
    .option('--from-date <iso>', 'first logical date (inclusive; Airflow 3\'s flag)').option('--to-date <iso>', 'last logical date (inclusive)')
    .option('--start <iso>', 'the same as --from-date').option('--end <iso>', 'the same as --to-date')
    .option('--reprocess <mode>', 'existing runs: none (only missing), failed (and failed ones), completed (and every finished one)', 'none')
    .option('--max-active-runs <n>', 'at most this many of the backfill\'s runs running at once, apart from the DAG\'s other runs (default: the DAG\'s maxActiveRuns; a resumed backfill keeps its own)')
    .option('--dry-run', 'print the intervals and what would happen to each; change nothing')
    .option('--no-wait', 'create the runs and return; a running `sparkify scheduler` takes them on')
    .option('--dags <dir>', 'the DAG folder, scanned first and run by the local executor (default: ./dags when it exists)')
    .option('--no-parse', 'do not scan the DAG folder first')))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { configError } = await import('../../core/errors.ts');
      const one = (a: string, b: string, x: string | undefined, y: string | undefined) => {
        if (x !== undefined && y !== undefined) throw configError(`give ${a} or ${b}, not both`);
        if (x === undefined && y === undefined) throw configError(`${a} (or ${b}) is required`);
        return (x ?? y) as string;
      };
      const from = new Date(one('--from-date', '--start', raw.fromDate, raw.start));
      const to = new Date(one('--to-date', '--end', raw.toDate, raw.end));
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw configError('--from-date and --to-date must be ISO dates');
      if (!['none', 'failed', 'completed'].includes(raw.reprocess)) throw configError(`--reprocess must be none, failed or completed, not ${raw.reprocess}`);
      const maxActiveRuns = raw.maxActiveRuns === undefined ? undefined : Number(raw.maxActiveRuns);
      if (maxActiveRuns !== undefined && !(Number.isInteger(maxActiveRuns) && maxActiveRuns >= 1)) throw configError(`--max-active-runs must be a whole number >= 1, not ${raw.maxActiveRuns}`);
      const choice = compileExecutor(raw, options.db);
      const box = !raw.dryRun && raw.wait && choice.executor === 'local' ? await secretBox(options) : undefined;
      const { resolve } = await import('node:path');
      const dagFolder = resolve(raw.dags ?? 'dags');
      const { openBackfill } = await import('../../orchestrator/scheduler-loop/create-backfill.ts');
      await withMetadb(options, async (engine) => {
        await syncDagsFor(engine, raw);
        const opened = await engine.transaction((tx) => openBackfill(tx, {
          dagId, from, to, reprocess: raw.reprocess, now: new Date(), dryRun: Boolean(raw.dryRun), ...(maxActiveRuns === undefined ? {} : { maxActiveRuns }),
        }));
        const plan = opened.runs;
        const counts = { create: 0, reprocess: 0, keep: 0 };
        for (const p of plan) counts[p.action]++;
        const b = opened.backfill;
        const header = `${dagId}: backfill ${b.id === null ? '(new)' : `#${b.id}${b.resumed ? ' (resumed)' : ''}`}, at most ${b.maxActiveRuns} runs at once`;
        if (raw.dryRun || !raw.wait) {
          if (options.json) return printJson({ dagId, dryRun: Boolean(raw.dryRun), backfill: b, runs: plan });
          const { formatTable } = await import('../../core/table.ts');
          process.stdout.write(`${header}\n`);
          if (raw.dryRun) process.stdout.write(formatTable(plan.map((p) => ({ logical_date: p.logicalDate, action: p.action, run_id: p.runId, state: p.state ?? '' }))));
          process.stdout.write(`${dagId}: ${plan.length} intervals: ${counts.create} to create, ${counts.reprocess} to re-run, ${counts.keep} kept\n`);
          return;
        }
        if (!options.json) process.stderr.write(`${header}\n`);
        const dates = plan.map((p) => p.logicalDate);
        const { runStatesAt } = await import('../../orchestrator/metadb/dag-runs.ts');
        const { systemClock } = await import('../../core/clock.ts');
        const stop = new AbortController();
        const releaseNow = new AbortController();
        const removeHandlers = onStopSignals(stop, () => releaseNow.abort());
        const started = Date.now();
        // Runs finished before this invocation (a resumed backfill) are not counted in its rate.
        let before: number | undefined;
        let last = { success: 0, failed: 0 };
        // The backfill runs through the same scheduler loop as everything else; it ends when its runs have.
        const loop: RunSchedulerOptions = {
          engine, clock: systemClock, signal: stop.signal, idleMs: 500,
          onTick: () => runStatesAt(engine, dagId, dates).then((s) => {
            last = { success: s.success ?? 0, failed: s.failed ?? 0 };
            const done = last.success + last.failed;
            before ??= done;
            const rate = (done - before) / Math.max(0.001, (Date.now() - started) / 1000);
            process.stderr.write(`\rbackfill ${dagId}: ${done}/${dates.length} runs done (${last.failed} failed), ${s.running ?? 0} running, ${rate.toFixed(2)} runs/s   `);
            if (done >= dates.length) stop.abort();
          }),
        };
        const onError = (error: unknown) => process.stderr.write(`\nscheduler loop: ${(error as Error).message}\n`);
        try {
          if (box === undefined) {
            const { runScheduler } = await import('../../orchestrator/scheduler-loop/run-scheduler.ts');
            await runScheduler(loop, onError);
          } else {
            const { runSchedulerWithExecutor } = await import('../../orchestrator/standalone/scheduler-with-executor.ts');
            await runSchedulerWithExecutor({
              ...loop, stopGraceMs: choice.stopGraceMs, releaseNow: releaseNow.signal,
              executor: { secrets: box, dagFolder, parallelism: choice.parallelism, onError },
            }, onError);
          }
        } finally {
          removeHandlers();
        }
        process.stderr.write('\n');
        const done = last.success + last.failed;
        if (done < dates.length) {
          const { SparkifyError } = await import('../../core/errors.ts');
          throw new SparkifyError('SPK_E_TASK_STOPPED', `backfill of ${dagId} interrupted at ${done}/${dates.length} runs: run the same command again to continue it`);
        }
        if (options.json) printJson({ dagId, backfillId: b.id, runs: dates.length, ...last });
        else process.stdout.write(`${dagId}: ${dates.length} runs, ${last.success} succeeded, ${last.failed} failed\n`);
        if (last.failed > 0) {
          const { SparkifyError } = await import('../../core/errors.ts');
          throw new SparkifyError('SPK_E_RUN_FAILED', `${last.failed} of ${dates.length} runs of ${dagId} failed (sparkify dags runs ${dagId} --state failed; sparkify tasks list)`);
        }
      });
    });
}
