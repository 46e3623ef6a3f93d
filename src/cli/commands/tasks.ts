import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';

async function latestRunId(engine: import('../../engines/engine.ts').SqlEngine, dagId: string, runId: string | undefined): Promise<string> {
  if (runId !== undefined) return runId;
  const { listDagRuns } = await import('../../orchestrator/metadb/dag-runs.ts');
  const [run] = await listDagRuns(engine, dagId, { limit: 1 });
  if (run === undefined) {
    const { SparkifyError } = await import('../../core/errors.ts');
    throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${dagId} has no runs`);
  }
  return run.runId;
}

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks').description("task instances: list, state, clear, logs");
  metadbFlags(tasks.command('list <dag>').description("a run's task instances (default: the newest run)").option('--run <run-id>', 'the run'))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { listTaskInstances } = await import('../../orchestrator/metadb/task-instances.ts');
      const rows = await withMetadb(options, async (engine) => listTaskInstances(engine, dagId, await latestRunId(engine, dagId, raw.run)));
      if (options.json) return printJson(rows);
      const { formatTable } = await import('../../core/table.ts');
      process.stdout.write(formatTable(rows.map((r) => ({ task: r.taskId, state: r.state, try: r.tryNumber, max_tries: r.maxTries, pool: r.pool, start: r.startDate, end: r.endDate, next_try: r.nextTryAt })),
        ['task', 'state', 'try', 'max_tries', 'pool', 'start', 'end', 'next_try']));
    });
  metadbFlags(tasks.command('state <dag> <run-id> <task>').description("a task instance's state")).action(async (dagId: string, runId: string, taskId: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { listTaskInstances } = await import('../../orchestrator/metadb/task-instances.ts');
    const ti = (await withMetadb(options, (engine) => listTaskInstances(engine, dagId, runId))).find((r) => r.taskId === taskId);
    if (ti === undefined) {
      const { SparkifyError } = await import('../../core/errors.ts');
      throw new SparkifyError('SPK_E_NOT_FOUND', `no task instance ${dagId} ${runId} ${taskId}`);
    }
    if (options.json) return printJson(ti);
    process.stdout.write(`${ti.state}\n`);
  });
  metadbFlags(tasks.command('clear <dag>').description('run task instances again (their run is queued again if it had ended)')
    .requiredOption('--run <run-id>', 'the run').option('--task <task...>', 'the tasks (default: all)').option('--downstream', 'and every task downstream of them'))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { clearTasks } = await import('../../orchestrator/scheduler-loop/clear-tasks.ts');
      const result = await withMetadb(options, (engine) => engine.transaction((tx) =>
        clearTasks(tx, { dagId, runId: raw.run, downstream: Boolean(raw.downstream), now: new Date(), ...(raw.task ? { taskIds: raw.task } : {}) })));
      if (options.json) return printJson(result);
      process.stdout.write(`cleared ${result.cleared.length}: ${result.cleared.join(', ') || '(none)'}${result.busy.length ? `; still queued or running: ${result.busy.join(', ')}` : ''}${result.requeued ? `; ${raw.run} queued again` : ''}\n`);
    });
  metadbFlags(tasks.command('logs <dag> <run-id> <task>').description("a try's log (default: the latest try)").option('--try <n>', 'the try number'))
    .action(async (dagId: string, runId: string, taskId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { readLog } = await import('../../orchestrator/metadb/task-logs.ts');
      const { listTaskTries } = await import('../../orchestrator/metadb/task-instance-moves.ts');
      const out = await withMetadb(options, async (engine) => {
        const tries = await listTaskTries(engine, dagId, runId, taskId);
        const n = raw.try === undefined ? tries.at(-1)?.tryNumber : Number(raw.try);
        const t = tries.find((x) => x.tryNumber === n);
        if (t === undefined) {
          const { SparkifyError } = await import('../../core/errors.ts');
          throw new SparkifyError('SPK_E_NOT_FOUND', `${dagId} ${runId} ${taskId} has no try ${n ?? '(none yet)'}`);
        }
        return { try: t, chunks: await readLog(engine, { dagId, runId, taskId }, t.tryNumber) };
      });
      if (options.json) return printJson({ ...out.try, log: out.chunks.map((c) => c.text).join('') });
      process.stdout.write(`--- try ${out.try.tryNumber}: ${out.try.state}${out.try.error ? ` (${out.try.error.split('\n', 1)[0]})` : ''}\n`);
      for (const c of out.chunks) process.stdout.write(c.text.endsWith('\n') ? c.text : `${c.text}\n`);
    });
}
