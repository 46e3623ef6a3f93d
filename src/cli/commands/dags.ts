import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';
import { registerDagsBackfill } from './dags-backfill.ts';
import { registerDagsDeadlines } from './dags-deadlines.ts';
import { registerDagsTest } from './dags-test.ts';
import { syncDagsFor } from './dag-folder-option.ts';

const notFound = async (what: string) => {
  const { SparkifyError } = await import('../../core/errors.ts');
  return new SparkifyError('SPK_E_NOT_FOUND', what);
};

/** `--dags DIR` / `--no-parse` on the commands that read DAGs. */
export const dagFolderFlags = (c: Command) =>
  metadbFlags(c).option('--dags <dir>', 'the DAG folder, scanned first (default: ./dags when it exists)').option('--no-parse', 'do not scan the DAG folder first');

export function registerDags(program: Command): void {
  const dags = program.command('dags').description('DAGs: list, show, trigger, pause, backfill, test, runs, deadlines');
  dagFolderFlags(dags.command('list').description('list DAGs with their schedule, pause state and last run, then any import errors')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { listDags } = await import('../../orchestrator/metadb/dags.ts');
    const { listImportErrors } = await import('../../orchestrator/metadb/import-errors.ts');
    const { dags: rows, errors } = await withMetadb(options, async (engine) => {
      await syncDagsFor(engine, raw);
      return { dags: await listDags(engine), errors: await listImportErrors(engine) };
    });
    const table = rows.map((d) => ({
      dag_id: d.dagId, file: d.file, schedule: scheduleText(d.serialized?.schedule), paused: d.isPaused, active: d.isActive,
      next_run: d.nextLogicalDate, last_run: d.lastRunLogicalDate, last_state: d.lastRunState,
    }));
    if (options.json) return printJson({ dags: table, importErrors: errors });
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(formatTable(table, ['dag_id', 'file', 'schedule', 'paused', 'active', 'next_run', 'last_run', 'last_state']));
    if (errors.length > 0) {
      process.stdout.write(`\n${errors.length} import error(s):\n`);
      for (const e of errors) process.stdout.write(`  ${e.file}${e.line === null ? '' : `:${e.line}`}: ${e.message.split('\n', 1)[0]}\n`);
    }
  });
  dagFolderFlags(dags.command('show <dag>').description("a DAG's settings and tasks (its latest version)")).action(async (dagId: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { getDag } = await import('../../orchestrator/metadb/dags.ts');
    const dag = await withMetadb(options, async (engine) => (await syncDagsFor(engine, raw), getDag(engine, dagId)));
    if (dag?.serialized == null) throw await notFound(`no DAG ${dagId}`);
    if (options.json) return printJson({ ...dag, version: dag.latestVersion });
    const s = dag.serialized;
    process.stdout.write(`${s.id} (${s.file}) version ${dag.latestVersion?.slice(0, 12)}: ${scheduleText(s.schedule)} in ${s.timezone}, from ${s.start}` +
      `${s.end ? ` to ${s.end}` : ''}, catchup ${s.catchup ? 'on' : 'off'}, maxActiveRuns ${s.maxActiveRuns}, maxActiveTasks ${s.maxActiveTasks}, ${dag.isPaused ? 'paused' : 'unpaused'}\n`);
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(formatTable(s.tasks.map((t) => ({ task: t.id, operator: t.operator, upstream: t.upstream.join(', '), trigger_rule: t.triggerRule, retries: t.retries, pool: t.pool })),
      ['task', 'operator', 'upstream', 'trigger_rule', 'retries', 'pool']));
  });
  metadbFlags(dags.command('trigger <dag>').description('queue a manual run (it starts once the DAG is unpaused)')
    .option('--logical-date <iso>', 'the run\'s logical date (default: now)').option('--conf <json>', 'the run\'s conf: overrides the DAG\'s params'))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { configError } = await import('../../core/errors.ts');
      const logicalDate = raw.logicalDate === undefined ? undefined : new Date(raw.logicalDate);
      if (logicalDate !== undefined && Number.isNaN(logicalDate.getTime())) throw configError(`--logical-date: not an ISO date: ${raw.logicalDate}`);
      let conf: Record<string, unknown> = {};
      try {
        conf = raw.conf === undefined ? {} : JSON.parse(raw.conf);
      } catch {
        throw configError('--conf: not JSON');
      }
      if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) throw configError('--conf: must be a JSON object');
      const { triggerDagRun } = await import('../../orchestrator/scheduler-loop/trigger-dag-run.ts');
      const run = await withMetadb(options, (engine) => engine.transaction((tx) =>
        triggerDagRun(tx, { dagId, conf, now: new Date(), ...(logicalDate === undefined ? {} : { logicalDate }) })));
      if (options.json) return printJson(run);
      process.stdout.write(`queued ${run.runId} (data interval ${run.dataIntervalStart.toISOString()} .. ${run.dataIntervalEnd.toISOString()})\n`);
    });
  for (const [name, paused] of [['pause', true], ['unpause', false]] as const) {
    metadbFlags(dags.command(`${name} <dag>`).description(paused ? 'stop creating and starting runs' : 'let the scheduler create and start runs')).action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { setDagPaused } = await import('../../orchestrator/metadb/dags.ts');
      if (!(await withMetadb(options, (engine) => setDagPaused(engine, dagId, paused)))) throw await notFound(`no DAG ${dagId}`);
      if (options.json) return printJson({ dagId, paused });
      process.stdout.write(`${dagId} ${paused ? 'paused' : 'unpaused'}\n`);
    });
  }
  metadbFlags(dags.command('runs <dag>').description("a DAG's runs, newest first").option('--state <state>', 'only runs in this state').option('--limit <n>', 'at most n', '50'))
    .action(async (dagId: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { listDagRuns } = await import('../../orchestrator/metadb/dag-runs.ts');
      const runs = await withMetadb(options, (engine) => listDagRuns(engine, dagId, { limit: Number(raw.limit), ...(raw.state ? { states: [raw.state] } : {}) }));
      if (options.json) return printJson(runs);
      const { formatTable } = await import('../../core/table.ts');
      process.stdout.write(formatTable(runs.map((r) => ({ run_id: r.runId, type: r.runType, state: r.state, logical_date: r.logicalDate, start: r.startDate, end: r.endDate })),
        ['run_id', 'type', 'state', 'logical_date', 'start', 'end']));
    });
  registerDagsBackfill(dags);
  registerDagsTest(dags);
  registerDagsDeadlines(dags);
}

function scheduleText(s: import('../../orchestrator/dag/serialized-dag.ts').Schedule | undefined): string {
  if (s === undefined) return '';
  if (s.kind === 'cron') return s.expression;
  if (s.kind === 'interval') return `every ${s.everyMs / 1000}s`;
  return s.kind === 'once' ? '@once' : 'none';
}
