import type { SqlEngine, SqlSession } from '../../engines/engine.ts';
import type { StoredResult } from '../../orchestrator/metadb/dag-tallies.ts';
import { answerQueries } from '../../pipelines/star-load/star-queries.ts';

/** What the demo's summary says: everything is read back from the metadata database and the warehouse. */
export interface DemoSummary {
  dagId: string;
  /** The runs' logical dates: first and last (hourly). */
  from: string;
  to: string;
  runs: Record<string, number>;
  tasks: Record<string, number>;
  tries: number;
  quality: { passed: number; checked: number; checks: { name: string; passed: number; checked: number }[] };
  tables: { table: string; rows: number }[];
  sources: SourceRow[];
  answers: Record<'topSongs' | 'playsByLevel' | 'busiestHours', Record<string, unknown>[]>;
}

/** What happened to the input records, from the stage and fact tasks' stored results (read = quarantined + staged …). */
export interface SourceRow {
  source: 'events' | 'songs';
  files: number;
  read: number;
  /** Rejected by COPY (their reasons in the warehouse's load_errors). */
  quarantined: number;
  staged: number;
  /** Staged but not plays (events of other pages than NextSong). */
  filtered: number;
  /** Repeated keys: a play's songplay_id, a song's song_id. */
  duplicates: number;
  /** songplays rows; songs rows. */
  loaded: number;
  reconciles: boolean;
}

export const warehouseTables = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs', 'load_errors'] as const;

export const resultTasks = ['Stage_events', 'Stage_songs', 'Load_songplays_fact', 'Run_data_quality_checks'] as const;
/** DataQuality returns its results; a failed one's are stored with the failure (runner/record-outcome.ts). */
export const resultKeys = ['return_value', 'quality_results'] as const;

type Stage = { objects: number; read: number; rejected: number; staged: number };
type Fact = { plays: number; rows: number };
type Check = { name: string; passed: boolean };

/** Rows per warehouse table and the answers the demo has always printed, now from the DAG's warehouse. */
export async function readWarehouse(warehouse: SqlSession): Promise<Pick<DemoSummary, 'tables' | 'answers'>> {
  const rows = await warehouse.query<{ table: string; rows: number | bigint }>(
    warehouseTables.map((t) => `SELECT '${t}' AS "table", count(*)::int AS rows FROM ${t}`).join(' UNION ALL '));
  const byName = new Map(rows.map((r) => [r.table, Number(r.rows)]));
  return {
    tables: warehouseTables.map((table) => ({ table, rows: byName.get(table) ?? 0 })),
    answers: {
      topSongs: await warehouse.query(answerQueries.topSongs),
      playsByLevel: await warehouse.query(answerQueries.playsByLevel),
      busiestHours: await warehouse.query(answerQueries.busiestHours),
    },
  };
}

/** Every quality check's result, per check name: how many runs it passed in, of how many it ran in. */
export function tallyQuality(results: readonly StoredResult[]): DemoSummary['quality'] {
  const checks = new Map<string, { name: string; passed: number; checked: number }>();
  for (const r of results) {
    if (r.taskId !== 'Run_data_quality_checks' || !Array.isArray(r.value)) continue;
    for (const c of r.value as Check[]) {
      const tally = checks.get(c.name) ?? { name: c.name, passed: 0, checked: 0 };
      tally.checked += 1;
      if (c.passed) tally.passed += 1;
      checks.set(c.name, tally);
    }
  }
  const list = [...checks.values()];
  return { passed: list.reduce((n, c) => n + c.passed, 0), checked: list.reduce((n, c) => n + c.checked, 0), checks: list };
}

/**
 * The input records, reconciled from what the tasks reported against what the warehouse holds. An hourly run's
 * Stage_events reads its whole day's file and stages the hour's events, so a day's file is counted once (every run of
 * the day must have read the same), and its records are reconciled against the staged events of all its hours:
 * read = quarantined + staged (no record of the file outside its day). Stage_songs reads every song file in every run:
 * each run must read the same and reconcile on its own. Then staged events = filtered + duplicates + songplays, and
 * the sums equal the tables (staging_events, songplays; staging_songs as the last run left it).
 */
export function reconcile(results: readonly StoredResult[], tables: DemoSummary['tables']): SourceRow[] {
  const rows = new Map(tables.map((t) => [t.table, t.rows]));
  const of = <T>(task: string) => results.filter((r) => r.taskId === task && r.key === 'return_value').map((r) => ({ at: r.logicalDate, value: r.value as T }));

  const days = new Map<string, Stage & { staged: number; same: boolean }>();
  let staged = 0;
  for (const { at, value } of of<Stage>('Stage_events')) {
    const day = at.toISOString().slice(0, 10);
    const seen = days.get(day);
    staged += value.staged;
    if (seen === undefined) days.set(day, { ...value, same: true });
    else days.set(day, { ...seen, staged: seen.staged + value.staged, same: seen.same && seen.read === value.read && seen.rejected === value.rejected });
  }
  const read = sum([...days.values()].map((d) => d.read));
  const quarantined = sum([...days.values()].map((d) => d.rejected));
  const facts = of<Fact>('Load_songplays_fact').map((f) => f.value);
  const plays = sum(facts.map((f) => f.plays));
  const loaded = sum(facts.map((f) => f.rows));
  const events: SourceRow = {
    source: 'events', files: days.size, read, quarantined, staged, filtered: staged - plays, duplicates: plays - loaded, loaded,
    reconciles: [...days.values()].every((d) => d.same && d.read === d.rejected + d.staged) &&
      staged === rows.get('staging_events') && loaded === rows.get('songplays') && plays <= staged && loaded <= plays,
  };

  const stages = of<Stage>('Stage_songs').map((s) => s.value);
  const song = stages.at(-1) ?? { objects: 0, read: 0, rejected: 0, staged: 0 };
  const songs: SourceRow = {
    source: 'songs', files: song.objects, read: song.read, quarantined: song.rejected, staged: song.staged, filtered: 0,
    duplicates: song.staged - (rows.get('songs') ?? 0), loaded: rows.get('songs') ?? 0,
    reconciles: stages.every((s) => s.read === song.read && s.rejected === song.rejected && s.read === s.rejected + s.staged) &&
      song.staged === rows.get('staging_songs') && (rows.get('songs') ?? 0) <= song.staged,
  };
  return [events, songs];
}

const sum = (values: readonly number[]) => values.reduce((n, v) => n + v, 0);

/** Opens the demo's warehouse file for reading the summary (waiting, as any load would, if a task still holds it). */
export async function withWarehouse<T>(path: string, fn: (engine: SqlEngine) => Promise<T>): Promise<T> {
  const { DuckDbEngine } = await import('../../engines/duckdb/duckdb-engine.ts');
  const { cliLockWait } = await import('../lock-wait.ts');
  const engine = await DuckDbEngine.open({ path, wait: cliLockWait() });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}
