import { formatTable } from '../core/table.ts';
import type { QuarantineSink } from '../datasets/quarantine.ts';
import { reconciles } from '../datasets/source-counts.ts';
import type { SqlEngine } from '../engines/engine.ts';
import type { StarLoadResult } from '../pipelines/star-load/apply-star-load.ts';
import type { StarLoadPlan } from '../pipelines/star-load/star-plan.ts';
import { answer } from '../pipelines/star-load/star-queries.ts';

/** The end-of-run summary: rows per table, what happened to every input record, and a few answers. */
export async function printLoadReport(
  engine: SqlEngine,
  plan: StarLoadPlan,
  result: StarLoadResult,
  quarantine: QuarantineSink,
  json: boolean,
): Promise<void> {
  const answers = {
    topSongs: await answer(engine, 'topSongs'),
    playsByLevel: await answer(engine, 'playsByLevel'),
    busiestHours: await answer(engine, 'busiestHours'),
  };
  const sources = result.sources.map((c) => ({ ...c, reconciles: reconciles(c) }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ target: plan.target, seconds: result.seconds, tables: result.tables, sources, rejectsFile: quarantine.total > 0 ? plan.rejectsFile : null, answers }, null, 2)}\n`);
    return;
  }
  const out = process.stdout;
  out.write(`\nLoaded into ${plan.target} in ${result.seconds.toFixed(1)} s\n\nRows per table\n`);
  out.write(formatTable(result.tables));
  out.write('\nInput records (read = loaded + quarantined + filtered + duplicates)\n');
  out.write(formatTable(sources.map((s) => ({
    source: s.source, files: s.files, read: s.read, loaded: s.loaded, quarantined: s.quarantined,
    filtered: s.filtered, duplicates: s.duplicates, repaired: s.repaired, reconciles: s.reconciles ? 'yes' : 'NO',
  }))));
  if (quarantine.total > 0) out.write(`quarantined records: ${plan.rejectsFile}\n`);
  out.write('\nTop 5 songs (plays matched to the catalog)\n');
  out.write(formatTable(answers.topSongs, ['song', 'artist', 'plays']));
  out.write('\nPlays by level\n');
  out.write(formatTable(answers.playsByLevel, ['level', 'plays', 'users']));
  out.write('\nBusiest hours of the day (UTC)\n');
  out.write(formatTable(answers.busiestHours, ['hour', 'plays']));
}
