import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { reconciles } from '../../datasets/source-counts.ts';
import { openWarehouseEngine } from '../../engines/open-warehouse-engine.ts';
import { openStore } from '../../storage/open-store.ts';
import { applyWarehouseLoad, type WarehouseLoadResult } from '../../pipelines/warehouse/apply-warehouse-load.ts';
import { formatWarehousePlan, planWarehouseLoad } from '../../pipelines/warehouse/warehouse-plan.ts';
import { compileFastPaths, fastPathsFlag } from '../fast-paths-option.ts';
import { cliLockWait } from '../lock-wait.ts';
import { compileS3Config } from '../s3-options.ts';
import { compileLoadRequest, sourceFlags, targetOption } from '../warehouse-options.ts';

const loadOptions = z.object({
  target: targetOption(['duckdb', 'postgres']),
  db: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(64),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
}).refine((o) => o.target !== 'postgres' || (o.db !== undefined && /^postgres(ql)?:\/\//.test(o.db)), {
  message: 'the postgres target needs --db postgres://user@host:port/database', path: ['db'],
});

export function registerWarehouseLoad(warehouse: Command): void {
  const command = warehouse
    .command('load')
    .description('extract objects, COPY them into staging tables and transform them into the star schema (DuckDB by default)')
    .option('--target <engine>', 'duckdb (embedded) or postgres', 'duckdb')
    .option('--db <target>', 'DuckDB file (default: <data-dir>/warehouse.duckdb), or the postgres:// URL for --target postgres')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--concurrency <n>', 'objects read at once per COPY', '8');
  sourceFlags(command)
    .option('--dry-run', 'print the plan and touch nothing')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress lines on stderr')
    .option(...fastPathsFlag)
    .action(async (raw) => {
      const options = compileOptions(loadOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const fastPaths = compileFastPaths(raw.fastPaths);
      const plan = planWarehouseLoad({ ...compileLoadRequest(options.target, raw), fastPaths });
      if (options.dryRun) {
        process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatWarehousePlan(plan));
        return;
      }
      const s3 = compileS3Config(raw, process.env, fastPaths);
      const dataDir = resolve(options.dataDir);
      const engine = await openWarehouseEngine(options.target, options.db, dataDir, cliLockWait());
      // The engine's own description: the target without its password, and no driver imported for it here.
      const where = engine.description;
      try {
        const result = await applyWarehouseLoad(plan, engine, {
          open: (location) => openStore(location, s3),
          loadId: `${new Date().toISOString()}-${randomBytes(3).toString('hex')}`,
          concurrency: options.concurrency,
          progress: createProgress(process.stderr, options.progress && !options.json),
          lockWait: cliLockWait(),
        });
        print(where, result, options.json);
      } finally {
        await engine.close();
      }
    });
}

function print(where: string, result: WarehouseLoadResult, json: boolean): void {
  const sources = result.sources.map((c) => ({ ...c, reconciles: reconciles(c) }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ target: where, ...result, sources }, null, 2)}\n`);
    return;
  }
  const out = process.stdout;
  const mb = result.bytes / 1e6;
  out.write(`\nLoaded ${result.objects.toLocaleString('en-US')} objects (${mb.toFixed(1)} MB) into ${where} in ${result.seconds.toFixed(1)} s (load ${result.loadId})\n`);
  out.write('\nCOPY (read = loaded + rejected)\n');
  out.write(formatTable(sources.map((s, i) => ({
    table: s.source, objects: s.files, read: s.read, loaded: s.loaded, rejected: s.quarantined, repaired: s.repaired, reconciles: s.reconciles ? 'yes' : 'NO',
    'read by': result.reads[i]?.path === 'direct' ? 'DuckDB itself' : 'the loader',
  }))));
  for (const r of result.reads) if (r.declined) out.write(`${r.table}: converted by the loader because ${r.declined}\n`);
  if (result.rejected > 0) out.write(`rejected records: SELECT * FROM load_errors WHERE load_id = '${result.loadId}'\n`);
  out.write('\nRows per table\n');
  out.write(formatTable([...result.staging, ...result.tables]));
  out.write(`NextSong plays (with a user and a song): ${result.plays.toLocaleString('en-US')}\n`);
  out.write(`Duplicates collapsed (one row kept per key): ${result.duplicates.plays.toLocaleString('en-US')} plays (sessionId:itemInSession:userId), ` +
    `${result.duplicates.songs.toLocaleString('en-US')} song records (song_id)\n`);
}
