import type { SqlEngine, SqlSession } from '../../engines/engine.ts';
import { bindInterval, checkInterval, type DataInterval } from './data-interval.ts';
import { deleteSongplays, intervalPlays, planLoadDimension, planMatchPlays, type DimensionRequest } from './interval-plans.ts';
import { intervalSql } from './interval-sql.ts';
import { runStatements, targetOf } from './interval-target.ts';

/**
 * songplays for one interval (planLoadFact), in one transaction: the interval's rows are deleted and its plays
 * inserted; other intervals' rows are untouched (append). An interval without plays only deletes. Returns the
 * interval's plays (before repeated keys collapse) and its rows after.
 */
export async function loadFact(engine: SqlEngine, interval: DataInterval): Promise<{ plays: number; rows: number }> {
  const target = targetOf(engine);
  checkInterval(interval);
  return engine.transaction(async (tx) => {
    const plays = await withIntervalPlays(tx, target, interval, (n) => (n === 0 ? [deleteSongplays(target, interval)] : planMatchPlays(target, interval)));
    const rows = await count(tx, bindInterval('SELECT count(*) AS n FROM songplays WHERE start_time >= :interval_start AND start_time < :interval_end', interval));
    return { plays, rows };
  });
}

/**
 * One dimension, truncate-insert or upsert (planLoadDimension), in one transaction. An upsert of users or time for an
 * interval without plays has nothing to merge and runs nothing more.
 */
export async function loadDimension(engine: SqlEngine, request: DimensionRequest): Promise<void> {
  const target = targetOf(engine);
  const { interval } = request;
  if (interval !== undefined) checkInterval(interval);
  const plan = planLoadDimension(target, request);
  await engine.transaction(async (tx) => {
    if (request.mode === 'upsert' && interval !== undefined && (request.table === 'users' || request.table === 'time')) {
      // The plan's first statement stages the interval's plays, its last drops them: the rule runs between, if any.
      await withIntervalPlays(tx, target, interval, (n) => (n === 0 ? [] : plan.slice(1, -1)));
      return;
    }
    await runStatements(tx, plan);
  });
}

/** Stages the interval's plays (staging_plays), runs what `then` gives for their count, and drops them. */
async function withIntervalPlays(tx: SqlSession, target: 'duckdb' | 'postgres', interval: DataInterval, then: (plays: number) => { name: string; sql: string }[]): Promise<number> {
  await runStatements(tx, [intervalPlays(target, interval)]);
  const plays = await count(tx, 'SELECT count(*) AS n FROM staging_plays');
  await runStatements(tx, [...then(plays), { name: 'drop staging_plays', sql: intervalSql(target, 'drop-staging-plays') }]);
  return plays;
}

async function count(tx: SqlSession, sql: string): Promise<number> {
  const rows = await tx.query<{ n: number | string | bigint }>(sql);
  return Number(rows[0]?.n ?? 0);
}
