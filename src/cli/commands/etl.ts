import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { checkWritableFile } from '../../datasets/check-writable-file.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { describeTarget, openEngine } from '../../engines/open-engine.ts';
import { applyStarLoad } from '../../pipelines/star-load/apply-star-load.ts';
import { formatPlan, planStarLoad } from '../../pipelines/star-load/star-plan.ts';
import { compileFastPaths, fastPathsFlag } from '../fast-paths-option.ts';
import { cliLockWait } from '../lock-wait.ts';
import { printLoadReport } from '../print-load-report.ts';

const etlPostgresOptions = z.object({
  songs: z.string().min(1, 'a song_data directory is required'),
  logs: z.string().min(1, 'a log_data directory is required'),
  db: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  rejects: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

export function registerEtl(program: Command): void {
  const etl = program.command('etl').description('load datasets into an engine');
  etl
    .command('postgres')
    .description('load song metadata and event logs into the Postgres star schema (embedded PGlite by default)')
    .requiredOption('--songs <dir>', 'song_data directory (Million-Song-Dataset JSON)')
    .requiredOption('--logs <dir>', 'log_data directory (event JSON lines)')
    .option('--db <target>', 'postgres://… URL of a real server, or a PGlite directory (default: <data-dir>/pglite)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--rejects <file>', 'quarantine file, NDJSON (default: <data-dir>/rejects/postgres-<time>.ndjson)')
    .option('--dry-run', 'print the plan (inputs and statements) and touch nothing')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress lines on stderr')
    .option(...fastPathsFlag)
    .action(async (raw) => {
      const options = compileOptions(etlPostgresOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const dataDir = resolve(options.dataDir);
      const rejectsFile = resolve(options.rejects ?? join(dataDir, 'rejects', `postgres-${new Date().toISOString().replaceAll(':', '-')}.ndjson`));
      const plan = await planStarLoad({
        songsDir: resolve(options.songs),
        logsDir: resolve(options.logs),
        target: describeTarget(options.db, dataDir),
        rejectsFile,
        fastPaths: compileFastPaths(raw.fastPaths),
      });
      if (options.dryRun) {
        process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
        return;
      }
      checkWritableFile(rejectsFile, '--rejects');
      const engine = await openEngine(options.db, dataDir, cliLockWait());
      const quarantine = new NdjsonQuarantine(rejectsFile);
      try {
        const result = await applyStarLoad(plan, engine, quarantine, createProgress(process.stderr, options.progress && !options.json), undefined, { lockWait: cliLockWait() });
        await printLoadReport(engine, plan, result, quarantine, options.json);
      } finally {
        await quarantine.close();
        await engine.close();
      }
    });
}
