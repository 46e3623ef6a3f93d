import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { createDagRun } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { lineageOf, recordLineage } from '../../../src/orchestrator/metadb/lineage.ts';
import { deletePool, listPools, setPool } from '../../../src/orchestrator/metadb/pools.ts';
import { createTaskInstances } from '../../../src/orchestrator/metadb/task-instances.ts';
import { appendLog, readLog } from '../../../src/orchestrator/metadb/task-logs.ts';
import { getResult, putResult } from '../../../src/orchestrator/metadb/task-results.ts';
import { at, dagVersion, engineKinds, metadb, task } from './fixtures.ts';

const now = at('2026-12-07T12:00:00Z');
const tasks = ['stage_events', 'stage_songs', 'load_songplays', 'load_users', 'check'];

async function oneRun(engine: SqlEngine, runId: string, logical: Date): Promise<void> {
  const v = dagVersion('sparkify', tasks.map((id) => task(id)));
  await upsertDagVersion(engine, v, now);
  await createDagRun(engine, { dagId: 'sparkify', runId, version: v.hash, runType: 'scheduled', logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: logical }, now);
  await createTaskInstances(engine, 'sparkify', runId);
}

for (const kind of engineKinds) {
  test(`${kind}: results by key, log chunks per try`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await oneRun(engine, 'r1', at('2018-11-01T00:00:00Z'));
    const key = { dagId: 'sparkify', runId: 'r1', taskId: 'stage_events' };
    assert.deepEqual(await getResult(engine, key), { found: false });
    await putResult(engine, key, { rows: 8056 }, now);
    await putResult(engine, key, null, now, 'nothing');
    await putResult(engine, key, { rows: 8057 }, now);
    assert.deepEqual(await getResult(engine, key), { found: true, value: { rows: 8057 } });
    assert.deepEqual(await getResult(engine, key, 'nothing'), { found: true, value: null });
    assert.equal(await appendLog(engine, key, 1, 'line one\n'), 1);
    assert.equal(await appendLog(engine, key, 1, 'line two\n'), 2);
    assert.equal(await appendLog(engine, key, 2, 'retry\n'), 1);
    assert.deepEqual(await readLog(engine, key, 1), [{ seq: 1, text: 'line one\n' }, { seq: 2, text: 'line two\n' }]);
    assert.deepEqual(await readLog(engine, key, 1, 1), [{ seq: 2, text: 'line two\n' }]);
    assert.deepEqual(await readLog(engine, key, 2), [{ seq: 1, text: 'retry\n' }]);
  });

  test(`${kind}: lineage of a table follows the tasks that wrote it and their inputs, recursively`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await oneRun(engine, 'r1', at('2018-11-01T00:00:00Z'));
    await oneRun(engine, 'r2', at('2018-11-01T01:00:00Z'));
    const ti = (runId: string, taskId: string) => ({ dagId: 'sparkify', runId, taskId });
    const table = (name: string) => ({ kind: 'table' as const, name });
    for (const r of ['r1', 'r2']) {
      await recordLineage(engine, ti(r, 'stage_events'), [{ kind: 'objects', name: 's3://udacity-dend/log_data/' }], [table('staging_events')]);
      await recordLineage(engine, ti(r, 'stage_songs'), [{ kind: 'objects', name: 's3://udacity-dend/song_data/' }], [table('staging_songs')]);
      await recordLineage(engine, ti(r, 'load_songplays'), [table('staging_events'), table('staging_songs')], [table('songplays')]);
      // A dimension that reads itself (an upsert): a cycle the recursion must end.
      await recordLineage(engine, ti(r, 'load_users'), [table('staging_events'), table('users')], [table('users')]);
    }
    await recordLineage(engine, ti('r1', 'load_songplays'), [table('staging_events')], [table('songplays')]);
    const chain = await lineageOf(engine, 'songplays');
    assert.deepEqual(chain.map((s) => [s.depth, s.output.name, s.taskId, s.lastRunId, s.inputs.map((i) => i.name)]), [
      [1, 'songplays', 'load_songplays', 'r2', ['staging_events', 'staging_songs']],
      [2, 'staging_events', 'stage_events', 'r2', ['s3://udacity-dend/log_data/']],
      [2, 'staging_songs', 'stage_songs', 'r2', ['s3://udacity-dend/song_data/']],
    ]);
    const users = await lineageOf(engine, 'users');
    assert.deepEqual(users.map((s) => [s.depth, s.output.name, s.taskId]), [[1, 'users', 'load_users'], [2, 'staging_events', 'stage_events']]);
    assert.deepEqual(await lineageOf(engine, 'nothing_wrote_this'), []);
  });

  test(`${kind}: pools: default_pool exists and stays; set, list with counts, delete`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await setPool(engine, 'etl', 3, 'loads');
    await setPool(engine, 'etl', 4);
    assert.deepEqual(await listPools(engine), [
      { pool: 'default_pool', slots: 128, running: 0, queued: 0, description: 'the pool of tasks that name none' },
      { pool: 'etl', slots: 4, running: 0, queued: 0, description: 'loads' },
    ]);
    await assert.rejects(setPool(engine, 'etl', -1), /slots/);
    await assert.rejects(deletePool(engine, 'default_pool'), /cannot be deleted/);
    assert.equal(await deletePool(engine, 'etl'), true);
    assert.equal(await deletePool(engine, 'etl'), false);
  });
}
