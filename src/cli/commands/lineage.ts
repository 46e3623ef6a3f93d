import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';

export function registerLineage(program: Command): void {
  metadbFlags(program.command('lineage <dataset>').description('the tasks and inputs that produced a table or object prefix, nearest first')
    .option('--depth <n>', 'at most n steps up', '50'))
    .action(async (name: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { lineageOf } = await import('../../orchestrator/metadb/lineage.ts');
      const steps = await withMetadb(options, (engine) => lineageOf(engine, name, Number(raw.depth)));
      if (options.json) return printJson(steps);
      if (steps.length === 0) return void process.stdout.write(`no task recorded writing ${name}\n`);
      const { formatTable } = await import('../../core/table.ts');
      process.stdout.write(formatTable(steps.map((s) => ({ depth: s.depth, output: s.output.name, task: `${s.dagId}.${s.taskId}`, last_run: s.lastRunId, inputs: s.inputs.map((i) => i.name).join(', ') }))));
    });
}
