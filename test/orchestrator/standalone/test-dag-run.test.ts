import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { syncDagFolder } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { testDagRun } from '../../../src/orchestrator/standalone/test-dag-run.ts';
import { engineKinds, metadb, task } from '../metadb/fixtures.ts';
import { seedQueued } from '../metadb/seed.ts';
import { testBox } from '../runner/runner-fixture.ts';
import { dagFile, smallDagFile } from './small-dag.ts';

for (const kind of engineKinds) {
  test(`${kind}: dags test queues and claims only its own run's task instances: another DAG's queued and scheduled ones are left to the scheduler and workers`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const folder = await mkdtemp(join(tmpdir(), 'sparkify-dags-test-'));
    t.after(() => rm(folder, { recursive: true, force: true }));
    await writeFile(dagFile(folder, 'small'), smallDagFile('small'));
    const clock = new TestClock('2018-11-02T00:00:00Z');
    await syncDagFolder(engine, clock, { folder });
    // Another DAG's work, as a shared Postgres metadb holds it for `sparkify worker`s: two runs running, one task
    // instance queued, one scheduled (not yet queued). Its file is not in this folder: this test must not touch them.
    await seedQueued(engine, {}, [{ id: 'other', maxActiveTasks: 16, runs: 2, tasks: [task('q', { priorityWeight: 100 })] }]);
    await engine.query(`UPDATE orch_dag_run SET state = 'running' WHERE dag_id = 'other'`);
    await engine.query(`UPDATE orch_task_instance SET state = 'scheduled', queued_at = NULL WHERE dag_id = 'other' AND run_id LIKE '%T01:%'`);
    const before = await engine.query(`SELECT run_id, state, try_number, claimed_by FROM orch_task_instance WHERE dag_id = 'other' ORDER BY run_id`);
    assert.deepEqual(before.map((r) => (r as { state: string }).state), ['queued', 'scheduled']);

    const result = await testDagRun({
      engine, clock, dagId: 'small', date: new Date('2018-11-01T05:00:00Z'), idleMs: 100,
      executor: { secrets: testBox, dagFolder: folder, parallelism: 2, pollMs: 50, logFlushMs: 20 },
    });
    assert.equal(result.run.state, 'success');
    assert.deepEqual(result.tasks.map((x) => [x.taskId, x.state]).sort(), [['done', 'success'], ['double', 'success'], ['extract', 'success'], ['flaky', 'success'], ['total', 'success']]);
    assert.deepEqual(await engine.query(`SELECT run_id, state, try_number, claimed_by FROM orch_task_instance WHERE dag_id = 'other' ORDER BY run_id`), before,
      'the other DAG\'s queued task instance was not claimed (its priority is higher), nor its scheduled one queued');
    assert.deepEqual(await engine.query(`SELECT task_id FROM orch_task_try WHERE dag_id = 'other'`), [], 'nor tried');
  });
}
