import type { SqlEngine } from '../../../src/engines/engine.ts';
import type { SerializedTask } from '../../../src/orchestrator/dag/serialized-dag.ts';
import { createDagRun } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { setPool } from '../../../src/orchestrator/metadb/pools.ts';
import { createTaskInstances } from '../../../src/orchestrator/metadb/task-instances.ts';
import { dagVersion } from './fixtures.ts';

export interface SeedDag {
  id: string;
  maxActiveTasks: number;
  tasks: SerializedTask[];
  runs: number;
}

/** DAGs, pools and runs whose task instances are all queued (queued_at one second apart per run, in run order). */
export async function seedQueued(engine: SqlEngine, pools: Record<string, number>, dags: SeedDag[]): Promise<number> {
  return engine.transaction(async (tx) => {
    for (const [pool, slots] of Object.entries(pools)) await setPool(tx, pool, slots);
    let made = 0;
    for (const d of dags) {
      const v = dagVersion(d.id, d.tasks, { maxActiveTasks: d.maxActiveTasks });
      await upsertDagVersion(tx, v, new Date('2026-12-07T00:00:00Z'));
      for (let i = 0; i < d.runs; i++) {
        const logical = new Date(Date.UTC(2018, 10, 1, i));
        const runId = `scheduled__${logical.toISOString()}`;
        await createDagRun(tx, { dagId: d.id, runId, version: v.hash, runType: 'scheduled', logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: new Date(logical.getTime() + 3_600_000) }, logical);
        made += (await createTaskInstances(tx, d.id, runId)).length;
        // Set-based setup; the compare-and-set path has tests of its own.
        await tx.query(`UPDATE orch_task_instance SET state = 'queued', queued_at = $3 WHERE dag_id = $1 AND run_id = $2`, [d.id, runId, new Date(Date.UTC(2026, 11, 7, 0, 0, i))]);
      }
    }
    return made;
  });
}
