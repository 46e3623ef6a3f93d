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
