import type { SqlEngine, SqlSession } from '../../../engines/engine.ts';

class RolledBack<T> {
  readonly value: T;

  constructor(value: T) {
    this.value = value;
  }
}

/**
 * Runs `fn` in a transaction and, for a dry run, rolls it back and returns what it found: Airflow's `dry_run: true`
 * answers exactly what the change would do because it is the change, undone.
 */
export async function maybeDryRun<T>(engine: SqlEngine, dryRun: boolean, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
  try {
    return await engine.transaction(async (tx) => {
      const value = await fn(tx);
      if (dryRun) throw new RolledBack(value);
      return value;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value as T;
    throw error;
  }
}
