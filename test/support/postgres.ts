import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { after } from 'node:test';
import { runStoppers } from './teardown.ts';
import pg from 'pg';

/**
 * Per-file databases on the real PostgreSQL server that `npm test` (scripts/test.ts) starts and announces in
 * SPARKIFY_TEST_PG_URL. Without it, CI=true fails the test; elsewhere the test is skipped with a loud message.
 */
export const adminUrlVariable = 'SPARKIFY_TEST_PG_URL';

export interface TestDatabase {
  /** Superuser URL of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open (idempotent; also runs after the owner ends). */
  drop(): Promise<void>;
}

/**
 * What testDatabase needs from its owner: a TestContext fits, and so does a SuiteContext (its `after` is then
 * node:test's, registered in the suite being defined — so call testDatabase first thing in the describe callback),
 * or a plain `{ after }` at a file's top level.
 */
export interface DatabaseOwner {
  name?: string;
  filePath?: string | undefined;
  after?: (fn: () => Promise<void>) => void;
  skip?: (message?: string) => void;
}

export const pgAvailable = (): boolean => Boolean(process.env[adminUrlVariable]);

export async function testDatabase(owner: DatabaseOwner, name?: string): Promise<TestDatabase | undefined> {
  const adminUrl = process.env[adminUrlVariable];
  if (!adminUrl) {
    const message = `PostgreSQL tests need ${adminUrlVariable} (run them with \`npm test\`, which starts a server)`;
    if (process.env.CI === 'true') throw new Error(message);
    process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
    owner.skip?.call(owner, message);
    return undefined;
  }
  const database = databaseName(name ?? fileLabel(owner));
  // Registered before the first await so that a suite's `after` lands in the suite being defined.
  let dropping: Promise<void> | undefined;
  const drop = () => (dropping ??= runStoppers(owner).then(() => adminQuery(adminUrl, `drop database if exists ${quoteIdent(database)} with (force)`)));
  if (owner.after) owner.after.call(owner, drop);
  else after(drop);
  await adminQuery(adminUrl, `create database ${quoteIdent(database)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return { url: url.toString(), name: database, drop };
}

/** `t_<label>_<random>`: lower-case, at most 63 bytes (Postgres truncates longer names silently). */
export function databaseName(label: string): string {
  const suffix = randomBytes(4).toString('hex');
  const maxSlug = 63 - 't_'.length - '_'.length - suffix.length;
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, maxSlug);
  const name = `t_${slug || 'db'}_${suffix}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  return name;
}

function fileLabel(owner: DatabaseOwner): string {
  if (owner.filePath) return basename(owner.filePath).replace(/\.test\.[cm]?[jt]s$|\.[cm]?[jt]s$/, '');
  return owner.name ?? 'db';
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
