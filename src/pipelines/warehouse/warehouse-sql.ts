import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from './targets.ts';

const dir = join(import.meta.dirname, 'sql');
const cache = new Map<string, string>();

/** A statement group of the warehouse, one file each: `sql/<target>/<name>.sql` where the target differs, else `sql/common/`. */
export function warehouseSql(target: Target, name: WarehouseSqlName): string {
  const key = `${target}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    const own = join(dir, target, `${name}.sql`);
    text = readFileSync(existsSync(own) ? own : join(dir, 'common', `${name}.sql`), 'utf8').trim();
    cache.set(key, text);
  }
  return text;
}

/**
 * The statement every target shares (`sql/common/`), even where a target has its own form tuned for a whole load
 * (PostgreSQL's 90-songplays rebuilds keys around a million rows): the interval steps merge an hour's rows with it.
 */
export function commonWarehouseSql(name: WarehouseSqlName): string {
  const key = `common/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(join(dir, 'common', `${name}.sql`), 'utf8').trim();
    cache.set(key, text);
  }
  return text;
}

export type WarehouseSqlName =
  | 'schema'
  | '10-swap-staging'
  | '20-clear-star'
  | '30-plays'
  | '31-catalog-songs'
  | '40-artists'
  | '50-songs'
  | '60-users'
  | '70-time'
  | '80-catalog'
  | '90-songplays'
  | '99-drop-temporary';

export const transformSteps: readonly WarehouseSqlName[] = [
  '10-swap-staging', '20-clear-star', '30-plays', '31-catalog-songs',
  // Artists before songs (songs reference artists); the dimensions before the fact that matches against them.
  '40-artists', '50-songs', '60-users', '70-time', '80-catalog', '90-songplays', '99-drop-temporary',
];
