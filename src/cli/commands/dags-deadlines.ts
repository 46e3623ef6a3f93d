import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';

/** `sparkify dags deadlines [dag]`: the recorded deadline misses, newest first, with how each alert went. */
export function registerDagsDeadlines(dags: Command): void {
  metadbFlags(dags.command('deadlines [dag]').description('deadline misses (runs and tasks not finished by their deadline), newest first')
    .option('--run <run_id>', 'only this run\'s').option('--limit <n>', 'at most n', '50'))
    .action(async (dagId: string | undefined, raw) => {
      const options = compileMetadbOptions(raw);
      const { listDeadlineMisses } = await import('../../orchestrator/metadb/deadlines.ts');
      const misses = await withMetadb(options, (engine) => listDeadlineMisses(engine, {
        ...(dagId === undefined ? {} : { dagId }), ...(raw.run ? { runId: raw.run as string } : {}), limit: Number(raw.limit),
      }));
      if (options.json) return printJson(misses);
      const { formatTable } = await import('../../core/table.ts');
      process.stdout.write(formatTable(misses.map((m) => ({
        dag_id: m.dagId, run_id: m.runId, task_id: m.taskId ?? '(run)', deadline: m.deadline, reference: m.reference, missed_at: m.missedAt, run_state: m.runState,
        alert: m.alertState + (m.alertError ? `: ${m.alertError}` : ''),
      })), ['dag_id', 'run_id', 'task_id', 'deadline', 'reference', 'missed_at', 'run_state', 'alert']));
    });
}
