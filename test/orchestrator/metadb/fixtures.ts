import { createHash } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import type { DagVersion, SerializedDag, SerializedTask } from '../../../src/orchestrator/dag/serialized-dag.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { freshEngine } from '../../support/engines.ts';

export { engineKinds } from '../../support/engines.ts';

/** A fresh, migrated metadata database on `kind`; undefined when Postgres is not available (the test is skipped). */
export async function metadb(t: TestContext, kind: 'pglite' | 'postgres'): Promise<SqlEngine | undefined> {
  const engine = await freshEngine(t, kind);
  if (engine !== undefined) await migrate(engine);
  return engine;
}

export function task(id: string, over: Partial<SerializedTask> = {}): SerializedTask {
  return {
    id, operator: 'Noop', upstream: [], triggerRule: 'all_success', owner: 'sparkify', retries: 0, retryDelayMs: 300_000,
    retryExponentialBackoff: false, maxRetryDelayMs: null, executionTimeoutMs: null, dependsOnPast: false,
    pool: 'default_pool', priorityWeight: 1, group: null, params: {}, templateFields: [], inlets: [], outlets: [], ...over,
  };
}

/**
 * A serialised DAG built by hand (the DAG processor's serialiser is another part's work): JSON with its keys in
 * the order written here, and the SHA-256 of that JSON as its version.
 */
export function dagVersion(id: string, tasks: SerializedTask[], over: Partial<SerializedDag> = {}): DagVersion {
  const dag: SerializedDag = {
    id, file: `${id}.ts`, description: null, schedule: { kind: 'none' }, timezone: 'UTC', start: '2018-11-01T00:00:00.000Z',
    end: null, catchup: false, maxActiveRuns: 16, maxActiveTasks: 16, tags: [], params: {}, tasks, ...over,
  };
  const json = JSON.stringify(dag);
  return { dag, json, hash: createHash('sha256').update(json).digest('hex') };
}

export const at = (iso: string) => new Date(iso);
