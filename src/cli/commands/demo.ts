import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { SparkifyError } from '../../core/errors.ts';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { simulate } from '../../simulator/simulate.ts';
import { lockDirectory } from '../../engines/pglite/directory-lock.ts';
import { cliLockWait } from '../lock-wait.ts';
import { compileMetadbOptions, secretBox, withMetadb } from '../metadb-options.ts';
import { demoDagId, runDemoDag } from './demo-dag.ts';
import { reconcile, readWarehouse, resultKeys, resultTasks, tallyQuality, withWarehouse, type DemoSummary } from './demo-summary.ts';
import { printDemoSummary } from './print-demo-summary.ts';

const demoOptions = z.object({
  dataDir: z.string().min(1),
  users: z.coerce.number().int().positive(),
  days: z.coerce.number().int().positive().max(3660),
  songs: z.coerce.number().int().positive(),
  seed: z.coerce.number().int().nonnegative(),
  parallelism: z.coerce.number().int().positive(),
  json: z.boolean().default(false),
});

/** The simulated days start here, as the course's data does (and dags/sparkify.ts's start). */
const firstDay = new Date(Date.UTC(2018, 10, 1));

/**
 * The main job (`npm start`): a small deterministic dataset, simulated, then loaded by the platform's own DAG
 * (dags/sparkify.ts, hour by hour through the scheduler and the local executor) into an embedded DuckDB warehouse,
 * and summarised from what the metadata database and the warehouse hold.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('simulate a small deterministic dataset and run the Sparkify DAG over it (scheduler + local executor, DuckDB warehouse)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify); the demo rebuilds <data-dir>/demo')
    .option('--users <n>', 'simulated users', '650')
    .option('--days <n>', 'simulated days from 2018-11-01: the DAG runs once per hour of them', '3')
    .option('--songs <n>', 'catalog songs', '400')
    .option('--seed <n>', 'random seed', '42')
    .option('--parallelism <n>', 'task processes at once (the warehouse file takes one writer at a time)', '1')
    .option('--json', 'machine-readable output')
    .action(async (raw) => {
      const options = compileOptions(demoOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const dataDir = resolve(options.dataDir);
      const progress = createProgress(process.stderr, !options.json);
      // The demo owns <data-dir>/demo: dataset, metadata database and warehouse are rebuilt on every run, so the
      // summary always describes exactly this seed and these sizes. Two demos at once take turns (its lock,
      // <data-dir>/demo.lock, outlives the rebuild).
      const demoDir = join(dataDir, 'demo');
      const release = await lockDirectory(demoDir, cliLockWait());
      try {
        await rm(demoDir, { recursive: true, force: true });
        const datasetDir = join(demoDir, 'data');
        const generated = await simulate({
          outDir: datasetDir, users: options.users, days: options.days, songs: options.songs, seed: options.seed, start: firstDay, progress,
        });
        progress.done(`simulated ${generated.events.toLocaleString('en-US')} events and ${generated.songFiles} songs into ${datasetDir}`);

        // The orchestrator's data directory is the demo's: `sparkify dags runs sparkify --data-dir <data-dir>/demo`
        // (or tasks list, tasks logs, lineage) looks into the runs afterwards.
        // Its own metadata database, not $SPARKIFY_METADB's: the summary is of this seed's runs alone.
        const metadb = compileMetadbOptions({ dataDir: demoDir }, { SPARKIFY_SECRET_KEY: process.env.SPARKIFY_SECRET_KEY });
        const warehouse = join(demoDir, 'warehouse.duckdb');
        const summary = await withMetadb(metadb, async (engine) => {
          const ran = await runDemoDag({
            metadb: engine, secrets: await secretBox(metadb), warehouse, datasetDir, from: firstDay, days: options.days,
            parallelism: options.parallelism, progress, onTryFailed: (what) => process.stderr.write(`\n${what}\n`),
          });
          const { runStatesAt } = await import('../../orchestrator/metadb/dag-runs.ts');
          const { taskResultsAt, taskStatesAt } = await import('../../orchestrator/metadb/dag-tallies.ts');
          const tasks = await taskStatesAt(engine, demoDagId, ran.dates);
          const results = await taskResultsAt(engine, demoDagId, ran.dates, resultTasks, resultKeys);
          const { tables, answers } = await withWarehouse(warehouse, readWarehouse);
          const result: DemoSummary = {
            dagId: demoDagId, from: ran.dates[0]?.toISOString() ?? '', to: ran.dates.at(-1)?.toISOString() ?? '',
            runs: await runStatesAt(engine, demoDagId, ran.dates) as Record<string, number>,
            tasks: Object.fromEntries(Object.entries(tasks).map(([s, t]) => [s, t.n])),
            tries: Object.values(tasks).reduce((n, t) => n + t.tries, 0),
            quality: tallyQuality(results), tables, sources: reconcile(results, tables), answers,
          };
          return { result, seconds: ran.seconds };
        });
        const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
        const timing = { simulateSeconds: generated.seconds, dagSeconds: summary.seconds, runs: total(summary.result.runs), tasks: total(summary.result.tasks) };
        printDemoSummary(summary.result, { json: options.json, warehouse, dataDir: demoDir, timing });
        const failed = summary.result.runs.failed ?? 0;
        if (failed > 0) {
          throw new SparkifyError('SPK_E_RUN_FAILED', `${failed} of ${timing.runs} runs of ${demoDagId} failed (sparkify dags runs ${demoDagId} --state failed --data-dir ${demoDir}; sparkify tasks list)`);
        }
      } finally {
        release();
      }
    });
}
