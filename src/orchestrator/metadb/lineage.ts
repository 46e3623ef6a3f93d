import type { SqlSession } from '../../engines/engine.ts';
import type { DatasetRef } from '../dag/serialized-dag.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

/** Records what a task instance read (inlets) and wrote (outlets), in one statement. */
export async function recordLineage(session: SqlSession, key: TaskInstanceKey, inlets: readonly DatasetRef[], outlets: readonly DatasetRef[]): Promise<void> {
  const all = [...inlets.map((d) => ['in', d] as const), ...outlets.map((d) => ['out', d] as const)];
  if (all.length === 0) return;
  await session.query(sql('record-lineage'), [key.dagId, key.runId, key.taskId, all.map(([dir]) => dir), all.map(([, d]) => d.kind), all.map(([, d]) => d.name)]);
}

/** One step of a dataset's lineage: a task that wrote `output`, at `depth` steps from the dataset asked about. */
export interface LineageStep {
  depth: number;
  output: DatasetRef;
  dagId: string;
  taskId: string;
  /** The latest run (by run id) in which the task wrote it. */
  lastRunId: string;
  /** What the task read (over all its recorded runs). */
  inputs: DatasetRef[];
}

/** The tasks that produced `name` and, recursively, its inputs, nearest first (at most `maxDepth` steps up). */
export async function lineageOf(session: SqlSession, name: string, maxDepth = 50): Promise<LineageStep[]> {
  const rows = await session.query<{ depth: number; kind: DatasetRef['kind']; name: string; dag_id: string; task_id: string; last_run_id: string; inputs: DatasetRef[] }>(
    sql('lineage-of'), [name, maxDepth]);
  return rows.map((r) => ({
    depth: r.depth,
    output: { kind: r.kind, name: r.name },
    dagId: r.dag_id,
    taskId: r.task_id,
    lastRunId: r.last_run_id,
    inputs: [...r.inputs].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind)),
  }));
}
