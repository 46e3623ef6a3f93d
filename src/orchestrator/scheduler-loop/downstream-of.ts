import type { SerializedTask } from '../dag/serialized-dag.ts';

/** `ids` and every task downstream of them (directly or not), sorted. */
export function withDownstream(tasks: readonly Pick<SerializedTask, 'id' | 'upstream'>[], ids: readonly string[]): string[] {
  const downstream = new Map<string, string[]>();
  for (const t of tasks) for (const u of t.upstream) downstream.set(u, [...(downstream.get(u) ?? []), t.id]);
  const seen = new Set(ids);
  const todo = [...ids];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const d of downstream.get(id) ?? []) if (!seen.has(d)) todo.push(d), seen.add(d);
  }
  return [...seen].sort();
}
