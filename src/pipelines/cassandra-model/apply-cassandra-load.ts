import { silentProgress, type Progress } from '../../core/progress.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import type { CqlEngine } from '../../engines/cql-engine.ts';
import type { CassandraLoadPlan } from './cassandra-plan.ts';
import type { Play } from './play.ts';
import { queryTable } from './query-tables.ts';
import { readPlays } from './read-plays.ts';
import { windowStatements, type WindowStats } from './write-statements.ts';

export interface TableWrites extends WindowStats {
  table: string;
}

export interface CassandraLoadResult {
  source: SourceCounts;
  /** Per table: rows written (one per play), requests sent, and how many of those were batches. */
  tables: TableWrites[];
  seconds: number;
}

/**
 * Creates the keyspace and tables, then writes every play into every table. There is no transaction to roll
 * back in Cassandra; instead every write is idempotent (natural keys, plain INSERTs), so a load that failed half
 * way is finished by running it again, and re-loading the same input leaves the same rows.
 */
export async function applyCassandraLoad(
  plan: CassandraLoadPlan,
  engine: CqlEngine,
  quarantine: QuarantineSink,
  progress: Progress = silentProgress,
  now: () => number = performance.now.bind(performance),
): Promise<CassandraLoadResult> {
  const started = now();
  progress.update(`creating keyspace ${plan.keyspace.name}`);
  await engine.createKeyspace(plan.keyspace.cql);
  for (const t of plan.tables) {
    progress.update(`creating table ${t.name}`);
    await engine.schema(t.ddl);
  }
  const tables = plan.tables.map((t) => queryTable(t.name));
  const counts = emptyCounts(plan.source.kind);
  const stats = new Map<string, WindowStats>();
  // One window is written while the next is read and grouped: reading never waits for the cluster, and memory
  // holds at most two windows.
  let writing: Promise<void> = Promise.resolve();
  let window: Play[] = [];
  const flush = async () => {
    const statements = windowStatements(window, tables, plan.write.batch, stats);
    window = [];
    await writing;
    writing = engine.writeAll(statements);
    // A failed window must not become an unhandled rejection while the next one is read; it is awaited below.
    writing.catch(() => undefined);
    progress.update(`writing ${plan.tables.length} tables (file ${counts.files}/${plan.source.files.length})`, counts.loaded);
  };
  for await (const { record } of readPlays(plan.source, quarantine, counts)) {
    window.push(record);
    if (window.length >= plan.write.windowPlays) await flush();
  }
  if (window.length > 0) await flush();
  await writing;
  const seconds = (now() - started) / 1000;
  progress.done(`wrote ${counts.loaded.toLocaleString('en-US')} plays into ${plan.tables.length} tables in ${seconds.toFixed(1)} s`);
  return {
    source: counts,
    tables: plan.tables.map((t) => ({ table: t.name, ...(stats.get(t.name) ?? { rows: 0, statements: 0, batches: 0 }) })),
    seconds,
  };
}
