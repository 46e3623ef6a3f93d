import { createHash } from 'node:crypto';
import type { DagVersion, SerializedDag, SerializedTask } from '../../src/orchestrator/dag/serialized-dag.ts';

/** A serialised DAG of `n` tasks in ten lanes (t010 after t000, …), as the DAG processor would store it. */
export function serializedDagVersion(id: string, n: number): DagVersion {
  const tasks: SerializedTask[] = Array.from({ length: n }, (_, i) => ({
    id: `t${String(i).padStart(3, '0')}`, operator: 'Empty', upstream: i >= 10 ? [`t${String(i - 10).padStart(3, '0')}`] : [],
    triggerRule: 'all_success', owner: 'bench', retries: 0, retryDelayMs: 0, retryExponentialBackoff: false, maxRetryDelayMs: null,
    executionTimeoutMs: null, dependsOnPast: false, pool: 'default_pool', priorityWeight: 1, group: null, params: {}, templateFields: [],
    inlets: [], outlets: [],
  }));
  const dag: SerializedDag = {
    id, file: `${id}.ts`, description: `${n} tasks for the grid benchmark`, schedule: { kind: 'cron', expression: '0 * * * *' }, timezone: 'UTC',
    start: '2018-11-01T00:00:00.000Z', end: null, catchup: false, maxActiveRuns: 16, maxActiveTasks: 16, tags: [], params: {}, tasks,
  };
  const json = JSON.stringify(dag);
  return { dag, json, hash: createHash('sha256').update(json).digest('hex') };
}
