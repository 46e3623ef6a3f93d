import { readdirSync, readFileSync } from 'node:fs';
import { SparkifyError } from '../../core/errors.ts';

/** One numbered migration: `000002-add-x.sql` is version 2, named `add-x`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const migrationsDir = new URL('./migrations/', import.meta.url);
const fileName = /^(\d{6})-([a-z0-9][a-z0-9-]*)\.sql$/;

/**
 * The migrations shipped with the code, in order. Versions must run 1, 2, 3… without a gap or a repeat: a gap would
 * let a database skip a migration without anyone noticing.
 */
export function loadMigrations(dir: URL | string = migrationsDir): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const m = fileName.exec(file);
    if (m === null) throw new SparkifyError('SPK_E_CONFIG', `migration file ${file}: expected NNNNNN-name.sql`);
    return { version: Number(m[1]), name: m[2] as string, sql: readFileSync(new URL(file, dirUrl(dir)), 'utf8') };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new SparkifyError('SPK_E_CONFIG', `migration ${m.version}-${m.name}: expected version ${i + 1} (versions run 1, 2, 3… without gaps)`);
  });
  return migrations;
}

function dirUrl(dir: URL | string): URL {
  if (dir instanceof URL) return dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  return new URL(`file://${dir.endsWith('/') ? dir : `${dir}/`}`);
}
