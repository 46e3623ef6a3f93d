import { join, resolve } from 'node:path';
import { configError } from '../../core/errors.ts';
import { defaultDataDir } from '../../core/options.ts';
import type { TaskContext } from '../dag/task-context.ts';
import { ObjectStoreHook } from '../hooks/object-store-hook.ts';
import { hookConnection } from './hook-connection.ts';

/**
 * A directory under a local (fs) data connection: the star and Cassandra loads read files, not objects (the CLI's
 * `--songs`, `--logs`, `--events` are directories too).
 */
export async function localDir(context: TaskContext<unknown>, dataConnId: string, sub: string): Promise<string> {
  const hook = new ObjectStoreHook(await hookConnection(context, dataConnId));
  if (hook.options.kind !== 'local') throw configError(`connection ${dataConnId} (${hook.description}): this job reads a local directory; use an fs connection`);
  return resolve(hook.options.root, sub);
}

/** Where a job task's rejects go unless it names a file: `<data-dir>/rejects/<dag>.<task>-<run>-<try>.ndjson`. */
export function rejectsFileFor(context: TaskContext<unknown>, given: string | undefined): string {
  if (given !== undefined) return resolve(given);
  const name = `${context.dagId}.${context.taskId}-${context.runId}-${context.tryNumber}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(defaultDataDir(), 'rejects', `${name}.ndjson`);
}
