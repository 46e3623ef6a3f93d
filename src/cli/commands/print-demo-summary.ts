import { formatTable } from '../../core/table.ts';
import type { DemoSummary } from './demo-summary.ts';

export interface DemoTiming {
  simulateSeconds: number;
  dagSeconds: number;
  runs: number;
  tasks: number;
}

/** The demo's end: runs and tasks by state, quality checks, rows per table, the input reconciled, a few answers. */
export function printDemoSummary(summary: DemoSummary, o: { json: boolean; warehouse: string; dataDir: string; timing: DemoTiming }): void {
  const t = o.timing;
  const rates = { runsPerSecond: round(t.runs / t.dagSeconds, 2), tasksPerSecond: round(t.tasks / t.dagSeconds, 1) };
  if (o.json) {
    // Timing apart from the rest: everything else is a function of the options (a second run prints it again).
    const timing = { simulateSeconds: round(t.simulateSeconds, 2), dagSeconds: round(t.dagSeconds, 2), ...rates };
    process.stdout.write(`${JSON.stringify({ ...summary, warehouse: o.warehouse, timing }, null, 2)}\n`);
    return;
  }
  const out = process.stdout;
  out.write(`\nRan DAG ${summary.dagId} over ${summary.from} .. ${summary.to} (hourly) in ${t.dagSeconds.toFixed(1)} s: ` +
    `${rates.runsPerSecond} runs/s, ${rates.tasksPerSecond} tasks/s (simulation: ${t.simulateSeconds.toFixed(1)} s)\n\n`);
  const states = [...new Set([...Object.keys(summary.runs), ...Object.keys(summary.tasks)])].sort();
  out.write(formatTable([
    { what: 'runs', ...summary.runs },
    { what: 'task instances', ...summary.tasks, tries: summary.tries },
  ], ['what', ...states, 'tries']));
  out.write(`\nData quality checks: ${summary.quality.passed} of ${summary.quality.checked} passed\n`);
  out.write(formatTable(summary.quality.checks.map((c) => ({ check: c.name, passed: c.passed, runs: c.checked }))));
  out.write(`\nRows per table (${o.warehouse})\n`);
  out.write(formatTable(summary.tables));
  out.write('\nInput records (events: read = quarantined + staged, staged = filtered + duplicates + loaded; songs: read = quarantined + staged, staged = duplicates + loaded)\n');
  out.write(formatTable(summary.sources.map((s) => ({ ...s, reconciles: s.reconciles ? 'yes' : 'NO' }))));
  const quarantined = summary.sources.reduce((n, s) => n + s.quarantined, 0);
  if (quarantined > 0) out.write('quarantined records: the warehouse\'s load_errors table (by run, task and try)\n');
  out.write('\nTop 5 songs (plays matched to the catalog)\n');
  out.write(formatTable(summary.answers.topSongs, ['song', 'artist', 'plays']));
  out.write('\nPlays by level\n');
  out.write(formatTable(summary.answers.playsByLevel, ['level', 'plays', 'users']));
  out.write('\nBusiest hours of the day (UTC)\n');
  out.write(formatTable(summary.answers.busiestHours, ['hour', 'plays']));
  out.write(`\nThe runs, their tasks and logs: npx sparkify dags runs ${summary.dagId} --data-dir ${o.dataDir} (also tasks list, tasks logs, lineage)\n`);
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
