import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'sql');
const cache = new Map<string, string>();

/** The star schema's SQL, one file per statement group, read once. */
export function starSql(name: StarSqlName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(dir, `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export type StarSqlName =
  | '01-schema'
  | '02-staging'
  | '02-key-function'
  | '02-time-beside'
  | '03-artists'
  | '04-songs'
  | '05-catalog'
  | '06-load-targets'
  | '07-time'
  | '08-songplays'
  | '09-songplays-rematch'
  | '10-users'
  | '11-songplays-indexes';
