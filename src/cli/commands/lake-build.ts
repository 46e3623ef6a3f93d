import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { reconciles } from '../../datasets/source-counts.ts';
import { openLakeEngine } from '../../engines/open-lake-engine.ts';
import { openStore } from '../../storage/open-store.ts';
import { applyLakeBuild, type LakeBuildResult } from '../../pipelines/lake/apply-lake-build.ts';
import { formatLakePlan, planLakeBuild } from '../../pipelines/lake/lake-plan.ts';
import { defaultLakeLeaseMs } from '../../pipelines/lake/lake-lock.ts';
import { cliLockWait } from '../lock-wait.ts';
import { compileS3Config, s3Flags } from '../s3-options.ts';

export const lakeEngineOption = z.enum(['duckdb', 'spark'], { error: 'must be one of duckdb, spark' });

const buildOptions = z.object({
  in: z.string().min(1, 'give --in'),
  out: z.string().min(1, 'give --out'),
  engine: lakeEngineOption,
  sparkRemote: z.string().min(1).optional(),
  since: z.string().min(1).optional(),
  until: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  rejects: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
  lockLeaseMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be whole milliseconds').min(100, 'must be at least 100 ms').default(defaultLakeLeaseMs),
});

export function registerLakeBuild(lake: Command): void {
  const command = lake
    .command('build')
    .description('read song_data/ and log_data/, write songs, artists, users, time and songplays as partitioned Parquet')
    .option('--in <location>', 'where song_data/ and log_data/ live (a directory or s3://bucket/prefix)')
    .option('--out <location>', "the lake's root (a directory or s3://bucket/prefix)")
    .option('--engine <engine>', 'duckdb (embedded) or spark (a Spark Connect server: --spark-remote)', 'duckdb')
    .option('--spark-remote <sc://host:port>', 'the Spark Connect server of --engine spark (default: $SPARKIFY_SPARK_REMOTE)')
    .option('--since <date>', 'only plays from this date or time (UTC), widened to its month; with --until')
    .option('--until <date>', 'only plays before this date or time (UTC), widened to the end of its month')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--rejects <file>', 'quarantined records, NDJSON (default: <data-dir>/rejects/lake-<time>.ndjson)')
    .option('--dry-run', 'print the plan and touch nothing')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress lines on stderr')
    .option('--lock-lease-ms <ms>', `how long the lake's lock outlives this build if it is killed (it renews it meanwhile; default ${defaultLakeLeaseMs})`);
  for (const [flag, help] of s3Flags) command.option(flag, help);
  command.action(async (raw) => {
    const options = compileOptions(buildOptions, { ...raw, in: raw.in ?? '', out: raw.out ?? '', dataDir: raw.dataDir ?? defaultDataDir() });
    const plan = planLakeBuild({ engine: options.engine, input: options.in, output: options.out,
      ...(options.since !== undefined ? { since: options.since } : {}), ...(options.until !== undefined ? { until: options.until } : {}) });
    if (options.dryRun) {
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatLakePlan(plan));
      return;
    }
    const s3 = compileS3Config(raw);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const runId = `${stamp}-${randomBytes(3).toString('hex')}`;
    const quarantine = new NdjsonQuarantine(resolve(options.rejects ?? join(options.dataDir, 'rejects', `lake-${stamp}.ndjson`)));
    const engine = await openLakeEngine(options.engine, options.sparkRemote ? { sparkRemote: options.sparkRemote } : {});
    try {
      const result = await applyLakeBuild(plan, engine, {
        open: (location) => openStore(location, s3),
        runId,
        quarantine,
        progress: createProgress(process.stderr, options.progress && !options.json),
        lock: { wait: cliLockWait(), leaseMs: options.lockLeaseMs },
      });
      print(plan.output, result, options.json, quarantine.total > 0 ? quarantine.path : undefined);
    } finally {
      await quarantine.close();
      await engine.close();
    }
  });
}

function print(out: string, result: LakeBuildResult, json: boolean, rejects: string | undefined): void {
  const sources = result.sources.map((c) => ({ ...c, reconciles: reconciles(c) }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ output: out, ...result, sources, ...(rejects ? { rejects } : {}) }, null, 2)}\n`);
    return;
  }
  const w = (s: string) => process.stdout.write(s);
  w(`\nPublished lake version ${result.runId} to ${out} in ${result.seconds.toFixed(1)} s ` +
    `(${result.publish.uploaded} files, ${(result.publish.bytes / 1e6).toFixed(1)} MB; ${result.publish.deleted} replaced files deleted)\n`);
  w('\nRecords (read = loaded + quarantined + filtered + duplicates)\n');
  w(formatTable(sources.map((s) => ({ source: s.source, files: s.files, read: s.read, loaded: s.loaded, quarantined: s.quarantined,
    filtered: s.filtered, duplicates: s.duplicates, reconciles: s.reconciles ? 'yes' : 'NO' }))));
  if (rejects) w(`quarantined records: ${rejects}\n`);
  w('\nTables written\n');
  w(formatTable(result.tables.map((t) => ({ table: t.table, rows: t.rows, partitions: t.partitions, files: t.files, 'MB': (t.bytes / 1e6).toFixed(2) }))));
}
