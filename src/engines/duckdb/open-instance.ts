import { randomBytes } from 'node:crypto';
import { link, rm, stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { SparkifyError } from '../../core/errors.ts';
import type { LockWait } from '../engine.ts';
import { retryLock } from '../retry-lock.ts';

/** How often a waiting loader tries the file again: DuckDB refuses at once and has no wait of its own. */
const retryMs = 200;

/** DuckDB's refusal of a file another process has open (its own OS lock, held until that process closes it or dies). */
const heldElsewhere = /Could not set lock on file/;

/**
 * DuckDB's instance on `path`; a file another process holds is tried again until `wait.ms` has passed, then fails with
 * SPK_E_LOCKED naming the holder as DuckDB does (its PID).
 */
export async function openInstance(path: string, options: Record<string, string>, wait: LockWait): Promise<DuckDBInstance> {
  if (path !== ':memory:') await createIfMissing(path);
  return retryLock<DuckDBInstance>(wait, retryMs, async () => {
    try {
      return { locked: await DuckDBInstance.create(path, options) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!heldElsewhere.test(message)) throw error;
      const holder = /\(PID (\d+)\)/.exec(message)?.[1];
      const what = `another process${holder === undefined ? '' : ` (PID ${holder})`} has the DuckDB database ${path} open`;
      return {
        busy: what,
        givenUp: () => new SparkifyError('SPK_E_LOCKED', `${what}; try again once it is done`, { cause: error, retryable: true, details: { path, ...(holder === undefined ? {} : { pid: Number(holder) }) } }),
      };
    }
  });
}

/**
 * Makes a missing database file appear whole. DuckDB creates a new file and only then takes its lock, so a second
 * process that opens the path in between wins the lock on an empty file and fails with "not a valid DuckDB database
 * file" (and so does the first, on its retry). Building the empty database under a private name and linking it into
 * place (link fails if the name exists) means the path is either absent or a valid database, whoever races.
 */
async function createIfMissing(path: string): Promise<void> {
  if (await exists(path)) return;
  const scratch = `${path}.creating-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const instance = await DuckDBInstance.create(scratch);
    instance.closeSync();
    await link(scratch, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } catch {
    // An unwritable folder and the like: the open that follows fails on the path itself, with DuckDB's reason.
  } finally {
    await rm(scratch, { force: true });
    await rm(`${scratch}.wal`, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
