/**
 * One star-schema load in its own process, so that its peak RSS is the loader's alone and not the benchmark's.
 * Usage: node bench/support/load-child.ts <songsDir> <logsDir> <postgres url>; prints one JSON line on stdout.
 */
import type { QuarantineRecord, QuarantineSink } from '../../src/datasets/quarantine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { applyStarLoad, type StarLoadResult } from '../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../src/pipelines/star-load/star-plan.ts';
import { timedEngine, type StepTime } from './timed-engine.ts';

export interface ChildLoadReport {
  result: StarLoadResult;
  /** process.resourceUsage().maxRSS of this process, in MB. */
  peakRssMB: number;
  /** CPU seconds of this process (the loader; the Postgres backend's are not counted). */
  cpuSeconds: { user: number; system: number };
  steps: StepTime[];
  quarantined: number;
}

const [songsDir, logsDir, url] = process.argv.slice(2);
if (!songsDir || !logsDir || !url) throw new Error('usage: load-child.ts <songsDir> <logsDir> <postgres url>');
const plan = await planStarLoad({ songsDir, logsDir, target: 'bench', rejectsFile: '/dev/null' });
const engine = new PostgresEngine({ connectionString: url });
// Rejects are counted, not kept: a memory quarantine would grow with a dirty input and distort the RSS.
class CountingQuarantine implements QuarantineSink {
  total = 0;
  private readonly counts = new Map<string, number>();
  add(record: QuarantineRecord): void {
    this.total++;
    this.counts.set(record.source, this.count(record.source) + 1);
  }
  count(source: string): number {
    return this.counts.get(source) ?? 0;
  }
  async close(): Promise<void> {}
}
const quarantine = new CountingQuarantine();
const timed = timedEngine(engine, plan);
try {
  const result = await applyStarLoad(plan, timed.engine, quarantine);
  const usage = process.resourceUsage();
  const report: ChildLoadReport = {
    result,
    peakRssMB: usage.maxRSS / 1024,
    cpuSeconds: { user: usage.userCPUTime / 1e6, system: usage.systemCPUTime / 1e6 },
    steps: timed.steps,
    quarantined: quarantine.total,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await engine.close();
}
