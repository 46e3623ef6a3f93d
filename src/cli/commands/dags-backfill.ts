import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';
import { requireExecutor } from './local-executor.ts';

export function registerDagsBackfill(dags: Command): void {
  metadbFlags(dags.command('backfill <dag>').description('run a DAG over past intervals through the scheduler (running it again resumes it)')
    .requiredOption('--from-date <iso>', 'first logical date (inclusive)').requiredOption('--to-date <iso>', 'last logical date (inclusive)')
    .option('--reprocess <mode>', 'existing runs: none (only missing), failed (and failed ones), completed (and every finished one)', 'none')
    .option('--dry-run', 'print the intervals and what would happen to each; change nothing')
    .option('--no-wait', 'create the runs and return; a running `sparkify scheduler` takes them on')
    .option('--executor <name>', 'local (run tasks here) or none (workers run them)', 'none'))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { configError } = await import('../../core/errors.ts');
      const from = new Date(raw.fromDate);
      const to = new Date(raw.toDate);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw configError('--from-date and --to-date must be ISO dates');
      if (!['none', 'failed', 'completed'].includes(raw.reprocess)) throw configError(`--reprocess must be none, failed or completed, not ${raw.reprocess}`);
      if (!raw.dryRun && raw.wait) requireExecutor(raw.executor);
      const { createBackfill } = await import('../../orchestrator/scheduler-loop/create-backfill.ts');
      await withMetadb(options, async (engine) => {
        const plan = await engine.transaction((tx) => createBackfill(tx, { dagId, from, to, reprocess: raw.reprocess, now: new Date(), dryRun: Boolean(raw.dryRun) }));
        const counts = { create: 0, reprocess: 0, keep: 0 };
        for (const p of plan) counts[p.action]++;
        if (raw.dryRun || !raw.wait) {
          if (options.json) return printJson({ dagId, dryRun: Boolean(raw.dryRun), runs: plan });
          const { formatTable } = await import('../../core/table.ts');
          if (raw.dryRun) process.stdout.write(formatTable(plan.map((p) => ({ logical_date: p.logicalDate, action: p.action, run_id: p.runId, state: p.state ?? '' }))));
          process.stdout.write(`${dagId}: ${plan.length} intervals: ${counts.create} to create, ${counts.reprocess} to re-run, ${counts.keep} kept\n`);
          return;
        }
        const dates = plan.map((p) => p.logicalDate);
        const { runStatesAt } = await import('../../orchestrator/metadb/dag-runs.ts');
        const { runScheduler } = await import('../../orchestrator/scheduler-loop/run-scheduler.ts');
        const { systemClock } = await import('../../core/clock.ts');
        const stop = new AbortController();
        const started = Date.now();
        let last = { success: 0, failed: 0 };
        // The backfill runs through the same scheduler loop as everything else; it ends when its runs have.
        await runScheduler({
          engine, clock: systemClock, signal: stop.signal, idleMs: 500,
          onTick: () => runStatesAt(engine, dagId, dates).then((s) => {
            last = { success: s.success ?? 0, failed: s.failed ?? 0 };
            const done = last.success + last.failed;
            const rate = done / Math.max(1, (Date.now() - started) / 1000);
            process.stderr.write(`\rbackfill ${dagId}: ${done}/${dates.length} runs done (${last.failed} failed), ${s.running ?? 0} running, ${rate.toFixed(2)} runs/s   `);
            if (done >= dates.length) stop.abort();
          }),
        }, (error) => process.stderr.write(`\nscheduler loop: ${(error as Error).message}\n`));
        process.stderr.write('\n');
        if (options.json) return printJson({ dagId, runs: dates.length, ...last });
        process.stdout.write(`${dagId}: ${dates.length} runs, ${last.success} succeeded, ${last.failed} failed\n`);
      });
    });
}
