import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { compileMetadbOptions, metadbFlags, printJson, withMetadb } from '../metadb-options.ts';

const slotsSchema = z.object({ slots: z.coerce.number().int('a whole number').min(0, 'at least 0') });

export function registerPools(program: Command): void {
  const pools = program.command('pools').description('pools: how many task instances of each may run at once, across all workers');
  metadbFlags(pools.command('set <pool> <slots>').description('create a pool or change its slots').option('--description <text>', 'what it is for'))
    .action(async (pool: string, slots: string, raw) => {
      const options = compileMetadbOptions(raw);
      const n = compileOptions(slotsSchema, { slots }).slots;
      const { setPool } = await import('../../orchestrator/metadb/pools.ts');
      await withMetadb(options, (engine) => engine.transaction((tx) => setPool(tx, pool, n, raw.description ?? null)));
      if (options.json) return printJson({ pool, slots: n });
      process.stdout.write(`pool ${pool}: ${n} slots\n`);
    });
  metadbFlags(pools.command('list').description('list pools with their running and queued task instances')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { listPools } = await import('../../orchestrator/metadb/pools.ts');
    const rows = await withMetadb(options, (engine) => listPools(engine));
    if (options.json) return printJson(rows);
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(formatTable(rows, ['pool', 'slots', 'running', 'queued', 'description']));
  });
  metadbFlags(pools.command('delete <pool>').description('delete a pool (not default_pool)')).action(async (pool: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { deletePool } = await import('../../orchestrator/metadb/pools.ts');
    const deleted = await withMetadb(options, (engine) => engine.transaction((tx) => deletePool(tx, pool)));
    if (!deleted) {
      const { SparkifyError } = await import('../../core/errors.ts');
      throw new SparkifyError('SPK_E_NOT_FOUND', `no pool ${pool}`);
    }
    if (options.json) return printJson({ pool, deleted: true });
    process.stdout.write(`pool ${pool} deleted\n`);
  });
}
