import type { SqlEngine } from '../../engines/engine.ts';
import type { TaskContext } from '../dag/task-context.ts';
import { WarehouseHook } from '../hooks/warehouse-hook.ts';
import { hookConnection, withHook } from './hook-connection.ts';

/** Runs `fn` on the warehouse of connection `connId`, opened for it and closed after (the DuckDB file is then free). */
export async function onWarehouse<T>(context: TaskContext<unknown>, connId: string, fn: (engine: SqlEngine, description: string) => Promise<T>): Promise<T> {
  return withHook(new WarehouseHook(await hookConnection(context, connId)), async (hook) => {
    context.signal.throwIfAborted();
    return fn(await hook.engine(), hook.description);
  });
}

/** The run's data interval, as the pipelines take it. */
export const intervalOf = (context: TaskContext<unknown>) => ({ start: context.dataIntervalStart, end: context.dataIntervalEnd });
