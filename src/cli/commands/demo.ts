import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { describeTarget, openEngine } from '../../engines/open-engine.ts';
import { simulate } from '../../simulator/simulate.ts';
import { applyStarLoad } from '../../pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../pipelines/star-load/star-plan.ts';
import { printLoadReport } from '../print-load-report.ts';

const demoOptions = z.object({
  dataDir: z.string().min(1),
  users: z.coerce.number().int().positive(),
  days: z.coerce.number().int().positive().max(3660),
  songs: z.coerce.number().int().positive(),
  seed: z.coerce.number().int().nonnegative(),
  json: z.boolean().default(false),
});

/** The main job (`npm start`): a small deterministic dataset, loaded into the embedded star schema. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('simulate a small deterministic dataset and load it into the embedded star schema (PGlite)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--users <n>', 'simulated users', '650')
    .option('--days <n>', 'simulated days', '30')
    .option('--songs <n>', 'catalog songs', '400')
    .option('--seed <n>', 'random seed', '42')
    .option('--json', 'machine-readable output')
    .action(async (raw) => {
      const options = compileOptions(demoOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const dataDir = resolve(options.dataDir);
      const progress = createProgress(process.stderr, !options.json);
      // The demo owns <data-dir>/demo: dataset, database and rejects are rebuilt on every run, so the summary
      // always describes exactly this seed and these sizes (`etl postgres` is the command that accumulates).
      const demoDir = join(dataDir, 'demo');
      await rm(demoDir, { recursive: true, force: true });
      const datasetDir = join(demoDir, 'data');
      const generated = await simulate({
        outDir: datasetDir,
        users: options.users,
        days: options.days,
        songs: options.songs,
        seed: options.seed,
        start: new Date(Date.UTC(2018, 10, 1)),
        progress,
      });
      progress.done(`simulated ${generated.events.toLocaleString('en-US')} events and ${generated.songFiles} songs into ${datasetDir}`);
      const rejectsFile = join(demoDir, 'rejects.ndjson');
      const plan = await planStarLoad({
        songsDir: join(datasetDir, 'song_data'),
        logsDir: join(datasetDir, 'log_data'),
        target: describeTarget(undefined, demoDir),
        rejectsFile,
      });
      const engine = await openEngine(undefined, demoDir);
      const quarantine = new NdjsonQuarantine(rejectsFile);
      try {
        const result = await applyStarLoad(plan, engine, quarantine, progress);
        await printLoadReport(engine, plan, result, quarantine, options.json);
      } finally {
        await quarantine.close();
        await engine.close();
      }
    });
}
