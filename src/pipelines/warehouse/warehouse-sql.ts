import { join } from 'node:path';
import { targetSqlReader } from '../../core/target-sql.ts';
import type { Target } from './targets.ts';

const read = targetSqlReader<Target, WarehouseSqlName>(join(import.meta.dirname, 'sql'));

/** A statement group of the warehouse, one file each: `sql/<target>/<name>.sql` where the target differs, else `sql/common/`. */
export function warehouseSql(target: Target, name: WarehouseSqlName): string {
  return read(target, name);
}

/**
 * The statement every target shares (`sql/common/`), even where a target has its own form tuned for a whole load
 * (PostgreSQL's 90-songplays rebuilds keys around a million rows): the interval steps merge an hour's rows with it.
 */
export function commonWarehouseSql(name: WarehouseSqlName): string {
  return read('common', name);
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
