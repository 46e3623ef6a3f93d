import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { checkWritableFile } from '../../datasets/check-writable-file.ts';
import { NdjsonQuarantine } from '../../datasets/quarantine.ts';
import { listFiles } from '../../datasets/list-files.ts';
import { reconciles } from '../../datasets/source-counts.ts';
import { consolidateEvents } from '../../pipelines/cassandra-model/consolidate-events.ts';
import { defaultRejectsFile, playSourceFlag } from '../cassandra-source.ts';

const consolidateOptions = z.object({
  out: z.string().min(1, 'an output file is required'),
  dataDir: z.string().min(1),
  rejects: z.string().min(1).optional(),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

export function registerCassandraConsolidate(cassandra: Command): void {
  cassandra
    .command('consolidate')
    .description('write the denormalised event file (event_datafile_new.csv): one row per play, 11 columns')
    .option('--events <dir>', 'event CSV files (event_data/*.csv)')
    .option('--logs <dir>', 'or the JSON logs (log_data/**/*.json)')
    .requiredOption('--out <file>', 'the CSV file to write (replaced if it exists)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--rejects <file>', 'quarantine file, NDJSON (default: <data-dir>/rejects/cassandra-consolidate-<time>.ndjson)')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (raw) => {
      const source = playSourceFlag(raw);
      const options = compileOptions(consolidateOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const rejectsFile = resolve(options.rejects ?? defaultRejectsFile(options.dataDir, 'cassandra-consolidate'));
      checkWritableFile(rejectsFile, '--rejects');
      const files = await listFiles(source.root, source.kind === 'events' ? '.csv' : '.json');
      const quarantine = new NdjsonQuarantine(rejectsFile);
      try {
        const result = await consolidateEvents({ ...source, files }, resolve(options.out), quarantine,
          createProgress(process.stderr, options.progress && !options.json));
        const counts = { ...result.source, reconciles: reconciles(result.source) };
        const rejects = quarantine.total > 0 ? rejectsFile : null;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ outFile: result.outFile, rows: result.rows, source: counts, rejectsFile: rejects }, null, 2)}\n`);
          return;
        }
        process.stdout.write(`\nWrote ${result.rows.toLocaleString('en-US')} plays to ${result.outFile}\n\n`);
        process.stdout.write('Input records (read = loaded + quarantined + filtered)\n');
        process.stdout.write(formatTable([{ source: counts.source, files: counts.files, read: counts.read, loaded: counts.loaded,
          quarantined: counts.quarantined, filtered: counts.filtered, reconciles: counts.reconciles ? 'yes' : 'NO' }]));
        if (rejects) process.stdout.write(`quarantined records: ${rejects}\n`);
      } finally {
        await quarantine.close();
      }
    });
}
