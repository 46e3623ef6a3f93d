import { SparkifyError } from '../../core/errors.ts';
import type { SerializedTask } from '../dag/serialized-dag.ts';

/**
 * Tasks with every upstream task before them (Kahn's algorithm, ties in the DAG's own order so the result is stable).
 * The DAG processor refuses cycles and missing upstream ids; meeting one here means a corrupt serialised DAG.
 */
export function topologicalOrder<T extends Pick<SerializedTask, 'id' | 'upstream'>>(tasks: readonly T[]): T[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waiting = new Map<string, number>();
  const downstream = new Map<string, string[]>();
  for (const t of tasks) {
    waiting.set(t.id, t.upstream.length);
    for (const u of t.upstream) {
      if (!byId.has(u)) throw new SparkifyError('SPK_E_DAG_INVALID', `task '${t.id}' depends on '${u}', which the DAG does not have`, { details: { task: t.id, upstream: u } });
      downstream.set(u, [...(downstream.get(u) ?? []), t.id]);
    }
  }
  const ready = tasks.filter((t) => t.upstream.length === 0);
  const order: T[] = [];
  for (let i = 0; i < ready.length; i++) {
    const t = ready[i] as T;
    order.push(t);
    for (const d of downstream.get(t.id) ?? []) {
      const left = (waiting.get(d) as number) - 1;
      waiting.set(d, left);
      if (left === 0) ready.push(byId.get(d) as T);
    }
  }
  if (order.length !== tasks.length) {
    const inCycle = tasks.filter((t) => (waiting.get(t.id) as number) > 0).map((t) => t.id);
    throw new SparkifyError('SPK_E_DAG_INVALID', `the DAG's tasks form a cycle through ${inCycle.join(', ')}`, { details: { tasks: inCycle } });
  }
  return order;
}
