import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SQL of a folder laid out per target: `<dir>/<target>/<name>.sql` where a target has its own form, else
 * `<dir>/common/<name>.sql` (ask for target `common` to get the shared form even where a target has its own). Each
 * file is read once, trimmed.
 */
export function targetSqlReader<T extends string, N extends string>(dir: string): (target: T | 'common', name: N) => string {
  const cache = new Map<string, string>();
  return (target, name) => {
    const key = `${target}/${name}`;
    let text = cache.get(key);
    if (text === undefined) {
      const own = join(dir, target, `${name}.sql`);
      text = readFileSync(existsSync(own) ? own : join(dir, 'common', `${name}.sql`), 'utf8').trim();
      cache.set(key, text);
    }
    return text;
  };
}
