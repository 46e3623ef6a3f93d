import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, secretBox, valueOrStdin, withMetadb } from '../metadb-options.ts';

export function registerVariables(program: Command): void {
  const variables = program.command('variables').description('variables that DAGs read (var.value.KEY, var.json.KEY), encrypted at rest');
  metadbFlags(variables.command('get <key>').description("print a variable's value")).action(async (key: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { getVariable } = await import('../../orchestrator/metadb/variables.ts');
    const box = await secretBox(options);
    const value = await withMetadb(options, (engine) => getVariable(engine, box, key));
    if (value === undefined) {
      const { SparkifyError } = await import('../../core/errors.ts');
      throw new SparkifyError('SPK_E_NOT_FOUND', `no variable ${key}`);
    }
    if (options.json) return printJson({ key, value });
    process.stdout.write(`${value}\n`);
  });
  metadbFlags(variables.command('set <key> <value>').description('set a variable (text or JSON; - reads the value from stdin)')
    .option('--description <text>', 'what it is for'))
    .action(async (key: string, value: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { setVariable } = await import('../../orchestrator/metadb/variables.ts');
      const text = await valueOrStdin(value);
      const box = await secretBox(options);
      await withMetadb(options, (engine) => engine.transaction((tx) => setVariable(tx, box, key, text, raw.description ?? null)));
      if (options.json) return printJson({ key, set: true });
      process.stdout.write(`variable ${key} set\n`);
    });
  metadbFlags(variables.command('list').description('list variables (keys and descriptions; `get` shows a value)')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { listVariables } = await import('../../orchestrator/metadb/variables.ts');
    const rows = await withMetadb(options, (engine) => listVariables(engine));
    if (options.json) return printJson(rows);
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(rows.length === 0 ? 'no variables\n' : formatTable(rows));
  });
}
