import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { checkWritableFile } from '../../datasets/check-writable-file.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { reconciles } from '../../datasets/source-counts.ts';
import { openCqlEngine } from '../../engines/open-cql-engine.ts';
import { applyCassandraLoad } from '../../pipelines/cassandra-model/apply-cassandra-load.ts';
import { formatCassandraPlan, planCassandraLoad } from '../../pipelines/cassandra-model/cassandra-plan.ts';
import { addCassandraFlags, compileCassandraFlags } from '../cassandra-options.ts';
import { defaultRejectsFile, playSourceFlag } from '../cassandra-source.ts';

const loadOptions = z.object({
  dataDir: z.string().min(1),
  rejects: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

export function registerCassandraLoad(cassandra: Command): void {
  const load = cassandra
    .command('load')
    .description('create the keyspace and the five query tables, and write every play into each')
    .option('--events <dir>', 'event CSV files (event_data/*.csv)')
    .option('--logs <dir>', 'or the JSON logs (log_data/**/*.json)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--rejects <file>', 'quarantine file, NDJSON (default: <data-dir>/rejects/cassandra-<time>.ndjson)')
    .option('--dry-run', 'print the DDL and the plan, and touch nothing')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress lines on stderr');
  addCassandraFlags(load).action(async (raw) => {
    const source = playSourceFlag(raw);
    const config = compileCassandraFlags(raw);
    const options = compileOptions(loadOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
    const rejectsFile = resolve(options.rejects ?? defaultRejectsFile(options.dataDir, 'cassandra'));
    const plan = await planCassandraLoad({ source, config, rejectsFile });
    if (options.dryRun) {
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatCassandraPlan(plan));
      return;
    }
    checkWritableFile(rejectsFile, '--rejects');
    const engine = await openCqlEngine(config);
    const quarantine = new NdjsonQuarantine(rejectsFile);
    try {
      const result = await applyCassandraLoad(plan, engine, quarantine, createProgress(process.stderr, options.progress && !options.json));
      const source = { ...result.source, reconciles: reconciles(result.source) };
      const rejects = quarantine.total > 0 ? rejectsFile : null;
      const playsPerSecond = Math.round(source.loaded / Math.max(result.seconds, 1e-9));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ target: plan.target, seconds: result.seconds, playsPerSecond, tables: result.tables, source, rejectsFile: rejects }, null, 2)}\n`);
        return;
      }
      const out = process.stdout;
      out.write(`\nLoaded into ${plan.target} in ${result.seconds.toFixed(1)} s (${playsPerSecond.toLocaleString('en-US')} plays/s)\n\n`);
      out.write('Rows written per table (requests: single INSERTs + single-partition batches)\n');
      out.write(formatTable(result.tables, ['table', 'rows', 'statements', 'batches']));
      out.write('\nInput records (read = loaded + quarantined + filtered)\n');
      out.write(formatTable([{ source: source.source, files: source.files, read: source.read, loaded: source.loaded,
        quarantined: source.quarantined, filtered: source.filtered, repaired: source.repaired, reconciles: source.reconciles ? 'yes' : 'NO' }]));
      if (rejects) out.write(`quarantined records: ${rejects}\n`);
    } finally {
      await quarantine.close();
      await engine.close();
    }
  });
}
