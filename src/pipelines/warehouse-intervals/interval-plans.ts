import { configError } from '../../core/errors.ts';
import { commonWarehouseSql, warehouseSql } from '../warehouse/warehouse-sql.ts';
import { bindInterval, type DataInterval } from './data-interval.ts';
import { intervalSql } from './interval-sql.ts';
import type { IntervalStatement, IntervalTarget } from './interval-target.ts';

/**
 * The statements of the fact and dimension steps, as plain data (printable, asserted by tests). The rules are the
 * one-shot load's own files (src/pipelines/warehouse/sql/): which events are plays (30), complete song records (31),
 * artists (40), songs (50), users (60), time (70), the catalog a play matches (80) and the play itself (90). Here
 * they are only scoped to an interval and merged into the rows already there (ON CONFLICT clauses in sql/).
 */

export type DimensionTable = 'users' | 'songs' | 'artists' | 'time';
export const dimensionTables: readonly DimensionTable[] = ['users', 'songs', 'artists', 'time'];

/**
 * 'truncate-insert': the table is rebuilt from everything staged. 'upsert': the rule's rows are merged in (users and
 * time from the interval's plays when one is given, else from all staged plays); nothing is deleted.
 */
export type DimensionMode = 'truncate-insert' | 'upsert';
export const dimensionModes: readonly DimensionMode[] = ['truncate-insert', 'upsert'];

/** 30-plays.sql over the events of one interval only: the same rule, read from the same file. */
export function intervalPlays(target: IntervalTarget, interval: DataInterval): IntervalStatement {
  const all = warehouseSql(target, '30-plays');
  const anchor = /FROM staging_events\s+WHERE /g;
  const found = all.match(anchor)?.length ?? 0;
  // The one-shot file is the rule; if its shape changes, this must be looked at again rather than silently scope nothing.
  if (found !== 1) throw new Error(`30-plays.sql no longer reads "FROM staging_events WHERE" exactly once (found ${found})`);
  const scoped = all.replace(anchor, 'FROM staging_events\nWHERE ts >= :interval_start AND ts < :interval_end\n  AND ');
  return { name: 'plays of the interval', sql: bindInterval(scoped, interval) };
}

function allPlays(target: IntervalTarget): IntervalStatement {
  return { name: '30-plays', sql: warehouseSql(target, '30-plays') };
}

/** `statement` (one INSERT, ending in ';') followed by `clause`. */
export function withClause(statement: string, clause: string): string {
  const body = statement.trimEnd();
  if (!body.endsWith(';')) throw new Error('withClause takes one statement ending in ";"');
  return `${body.slice(0, -1)}\n${clause};`;
}

const step = (name: string, sql: string): IntervalStatement => ({ name, sql });

/**
 * songplays for one interval: its plays, matched to the catalog exactly as the one-shot load matches them, replace the
 * interval's rows. The common 90-songplays.sql, not PostgreSQL's own form: that one rebuilds keys around a whole load.
 */
export function planLoadFact(target: IntervalTarget, interval: DataInterval): IntervalStatement[] {
  return [
    intervalPlays(target, interval),
    ...planMatchPlays(target, interval),
    step('drop staging_plays', intervalSql(target, 'drop-staging-plays')),
  ];
}

export function deleteSongplays(target: IntervalTarget, interval: DataInterval): IntervalStatement {
  return step('delete the interval\'s songplays', bindInterval(intervalSql(target, 'delete-songplays'), interval));
}

/**
 * After the interval's plays are in staging_plays: the catalog, and the plays matched to it in place of the interval's
 * rows. Apart, so that an interval without plays (a night hour) only deletes: the catalog's window functions are most
 * of the step's time (DuckDB: about 10 of 15 ms).
 */
export function planMatchPlays(target: IntervalTarget, interval: DataInterval): IntervalStatement[] {
  return [
    step('31-catalog-songs', warehouseSql(target, '31-catalog-songs')),
    step('80-catalog', warehouseSql(target, '80-catalog')),
    deleteSongplays(target, interval),
    step('90-songplays', withClause(commonWarehouseSql('90-songplays'), intervalSql(target, 'songplays-on-conflict'))),
    step('drop staging_catalog_songs', intervalSql(target, 'drop-staging-catalog-songs')),
    step('drop song_catalog', intervalSql(target, 'drop-song-catalog')),
  ];
}

export interface DimensionRequest {
  table: DimensionTable;
  mode: DimensionMode;
  /** upsert of users and time: only this interval's plays are read (a run's own hour). Ignored by truncate-insert. */
  interval?: DataInterval;
}

export function planLoadDimension(target: IntervalTarget, request: DimensionRequest): IntervalStatement[] {
  const { table, mode } = request;
  if (!dimensionTables.includes(table)) throw configError(`unknown dimension ${JSON.stringify(table)} (one of ${dimensionTables.join(', ')})`);
  if (!dimensionModes.includes(mode)) throw configError(`unknown dimension mode ${JSON.stringify(mode)} (one of ${dimensionModes.join(', ')})`);
  const clear = mode === 'truncate-insert' ? [step(`clear ${table}`, intervalSql(target, `clear-${table}`))] : [];
  if (table === 'users' || table === 'time') {
    const plays = mode === 'upsert' && request.interval !== undefined ? intervalPlays(target, request.interval) : allPlays(target);
    const rule = table === 'users' ? '60-users' : '70-time';
    return [
      ...clear,
      plays,
      step(rule, withClause(warehouseSql(target, rule), intervalSql(target, `${table}-on-conflict`))),
      step('drop staging_plays', intervalSql(target, 'drop-staging-plays')),
    ];
  }
  const artists = step('40-artists', withClause(warehouseSql(target, '40-artists'), intervalSql(target, 'artists-on-conflict')));
  const own = table === 'artists'
    ? [artists]
    : [
      ...(target === 'postgres' ? [step('40-artists (the songs\' own)', withClause(warehouseSql(target, '40-artists'), intervalSql(target, 'artists-referenced-on-conflict')))] : []),
      step('50-songs', withClause(warehouseSql(target, '50-songs'), intervalSql(target, 'songs-on-conflict'))),
    ];
  return [
    step('31-catalog-songs', warehouseSql(target, '31-catalog-songs')),
    ...clear,
    ...own,
    step('drop staging_catalog_songs', intervalSql(target, 'drop-staging-catalog-songs')),
  ];
}
