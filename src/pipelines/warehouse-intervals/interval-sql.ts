import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntervalTarget } from './interval-target.ts';

const dir = join(import.meta.dirname, 'sql');
const cache = new Map<string, string>();

/**
 * One statement (or clause) of the interval steps: `sql/<target>/<name>.sql` where the target differs, else
 * `sql/common/`. The star schema's rules themselves are the one-shot load's files (warehouse-sql.ts); these files
 * only scope them to an interval or merge their rows into what is there.
 */
export function intervalSql(target: IntervalTarget, name: IntervalSqlName): string {
  const key = `${target}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    const own = join(dir, target, `${name}.sql`);
    text = readFileSync(existsSync(own) ? own : join(dir, 'common', `${name}.sql`), 'utf8').trim();
    cache.set(key, text);
  }
  return text;
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
