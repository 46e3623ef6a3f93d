import { SparkifyError } from '../../core/errors.ts';
import type { LockWait, SqlEngine, SqlSession } from '../../engines/engine.ts';
import { advisoryLockIn } from '../../engines/postgres/load-lock.ts';
import { loadMigrations, type Migration } from './migrations.ts';

/** "SparkMig" in ASCII: the migrators' advisory lock, apart from the loads' key (engines/postgres/load-lock.ts). */
const migrateKey = '6012412646594013543::bigint';

export interface MigrateOptions {
  now?: () => Date;
  /** How long to wait for another migrator of the same database (default: a minute; migrations are short). */
  wait?: LockWait;
  /** The migrations to apply (tests); default: the ones shipped in ./migrations. */
  migrations?: readonly Migration[];
}

export interface MigrateResult {
  /** The schema version before and after. */
  from: number;
  to: number;
  applied: { version: number; name: string }[];
}

/**
 * Brings the metadata schema up to date: each pending migration in a transaction of its own, recorded in
 * orch_schema_migrations in that same transaction, so a failed migration leaves the previous version whole. Running it
 * again is a no-op. Two migrators at once take turns on an advisory lock taken first in every transaction (on Postgres;
 * PGlite's directory lock already keeps a second process out), and each re-reads the applied versions under it.
 */
export async function migrate(engine: SqlEngine, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations();
  const now = options.now ?? (() => new Date());
  const wait = options.wait ?? { ms: 60_000 };
  const applied: MigrateResult['applied'] = [];
  let from: number | undefined;
  for (;;) {
    const step = await engine.transaction(async (tx) => {
      await advisoryLockIn(tx, migrateKey, `another process is migrating ${engine.description}`, (cause) =>
        new SparkifyError('SPK_E_LOCKED', `another process is migrating ${engine.description}; try again once it is done`, { cause, retryable: true }), wait, 'transaction');
      // Created under the lock: CREATE TABLE IF NOT EXISTS can still fail on a unique index of the catalog when two
      // sessions run it at once.
      await tx.exec(createTable);
      const current = await currentVersion(tx);
      refuseNewer(current, migrations, engine.description);
      const next = migrations.find((m) => m.version === current + 1);
      if (next !== undefined) {
        await tx.exec(next.sql);
        await tx.query('INSERT INTO orch_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [next.version, next.name, now()]);
      }
      return { current, next };
    });
    from ??= step.current;
    if (step.next === undefined) return { from, to: step.current, applied };
    applied.push({ version: step.next.version, name: step.next.name });
  }
}

/**
 * Refuses to work on a schema the code does not match: newer (a newer Sparkify migrated it; this code would misread
 * it) or older (`sparkify db migrate` has not run). Commands other than `db migrate` call this on a server's database.
 */
export async function requireCurrentSchema(session: SqlSession, where: string, migrations: readonly Migration[] = loadMigrations()): Promise<void> {
  const [exists] = await session.query<{ t: string | null }>(`SELECT to_regclass('orch_schema_migrations')::text AS t`);
  const current = exists?.t == null ? 0 : await currentVersion(session);
  refuseNewer(current, migrations, where);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current < latest) {
    throw new SparkifyError('SPK_E_SCHEMA_VERSION', `the metadata database ${where} is at schema version ${current}, this Sparkify needs ${latest}: run \`sparkify db migrate\``, {
      details: { current, latest },
    });
  }
}

const createTable = `CREATE TABLE IF NOT EXISTS orch_schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL
)`;

async function currentVersion(session: SqlSession): Promise<number> {
  const [row] = await session.query<{ v: number | null }>('SELECT max(version) AS v FROM orch_schema_migrations');
  return row?.v ?? 0;
}

function refuseNewer(current: number, migrations: readonly Migration[], where: string): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new SparkifyError('SPK_E_SCHEMA_VERSION', `the metadata database ${where} is at schema version ${current}, newer than this Sparkify knows (${latest}): ` +
      'upgrade Sparkify, or use a database of its own', { details: { current, latest } });
  }
}
