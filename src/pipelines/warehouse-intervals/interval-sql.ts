import { join } from 'node:path';
import { targetSqlReader } from '../../core/target-sql.ts';
import type { IntervalTarget } from './interval-target.ts';

const read = targetSqlReader<IntervalTarget, IntervalSqlName>(join(import.meta.dirname, 'sql'));

/**
 * One statement (or clause) of the interval steps: `sql/<target>/<name>.sql` where the target differs, else
 * `sql/common/`. The star schema's rules themselves are the one-shot load's files (warehouse-sql.ts); these files
 * only scope them to an interval or merge their rows into what is there.
 */
export function intervalSql(target: IntervalTarget, name: IntervalSqlName): string {
  return read(target, name);
}

export type IntervalSqlName =
  | 'delete-staged-events'
  | 'insert-staged-events'
  | 'delete-staged-songs'
  | 'insert-staged-songs'
  | 'delete-songplays'
  | 'songplays-on-conflict'
  | 'users-on-conflict'
  | 'songs-on-conflict'
  | 'artists-on-conflict'
  | 'artists-referenced-on-conflict'
  | 'time-on-conflict'
  | 'clear-users'
  | 'clear-songs'
  | 'clear-artists'
  | 'clear-time'
  | 'drop-staging-plays'
  | 'drop-staging-catalog-songs'
  | 'drop-song-catalog';
