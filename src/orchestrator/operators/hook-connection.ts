import { SparkifyError } from '../../core/errors.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { HookConnection } from '../hooks/connection.ts';
import { defaultConnection } from './default-connections.ts';

/**
 * The connection `connId` with its secrets, for a hook: the metadata database's, else the built-in default of that id
 * (default-connections.ts), else SPK_E_NOT_FOUND naming it.
 */
export async function hookConnection(context: Pick<TaskContext<unknown>, 'connection'>, connId: string): Promise<HookConnection> {
  try {
    return await context.connection(connId, { secrets: true });
  } catch (error) {
    const fallback = error instanceof SparkifyError && error.code === 'SPK_E_NOT_FOUND' ? defaultConnection(connId) : undefined;
    if (fallback === undefined) throw error;
    return fallback;
  }
}

/** Runs `fn` with an opened hook's engine and closes the hook whatever happens. */
export async function withHook<H extends { close(): Promise<void> }, T>(hook: H, fn: (hook: H) => Promise<T>): Promise<T> {
  try {
    return await fn(hook);
  } finally {
    await hook.close();
  }
}
