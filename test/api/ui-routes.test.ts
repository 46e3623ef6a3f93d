import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAnalytics } from '../../src/api/routes/ui/analytics.ts';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { putConnection } from '../../src/orchestrator/metadb/connections.ts';
import { createDagRun } from '../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../src/orchestrator/metadb/dags.ts';
import { recordLineage } from '../../src/orchestrator/metadb/lineage.ts';
import { createTaskInstances } from '../../src/orchestrator/metadb/task-instances.ts';
import { putResult } from '../../src/orchestrator/metadb/task-results.ts';
import { dagVersion, task } from '../orchestrator/metadb/fixtures.ts';
import { freshWarehouse, warehouseTargets } from '../support/warehouse.ts';
import { fillStar } from '../ui/star-rows.ts';
import { apiFixture, engineKinds, runId } from './api-fixture.ts';

// The web UI's own endpoints (src/api/routes/ui/) on both metadb engines, through the server (inject): their shapes
// with values a real run leaves, their 404s and their auth. The browser test drives them through the views.

const run = encodeURIComponent(runId);

for (const kind of engineKinds) {
  test(`${kind}: /ui endpoints: grid, graph, gantt, durations, quality, recent runs, lineage; 401 without a token, 404 for unknown ids`, async (t) => {
    const f = await apiFixture(t, kind);
    if (!f) return;
    const get = async (url: string) => {
      const res = await f.app.inject({ method: 'GET', url, headers: await f.auth('viewer') });
      return { status: res.statusCode, body: res.json() };
    };
    // The fixture's run of etl: extract succeeded after a failed try, transform runs, load waits.
    await f.engine.exec(`
      UPDATE orch_dag_run SET state = 'running', start_date = '2018-11-01T01:00:00Z' WHERE dag_id = 'etl';
      UPDATE orch_task_instance SET state = 'success', try_number = 2, start_date = '2018-11-01T01:00:10Z', end_date = '2018-11-01T01:00:40Z' WHERE task_id = 'extract';
      UPDATE orch_task_instance SET state = 'running', try_number = 1, start_date = '2018-11-01T01:00:41Z' WHERE task_id = 'transform';
      INSERT INTO orch_task_try (dag_id, run_id, task_id, try_number, state, start_date, end_date) VALUES
        ('etl', '${runId}', 'extract', 1, 'up_for_retry', '2018-11-01T01:00:01Z', '2018-11-01T01:00:05Z'),
        ('etl', '${runId}', 'extract', 2, 'success', '2018-11-01T01:00:10Z', '2018-11-01T01:00:40Z'),
        ('etl', '${runId}', 'transform', 1, 'running', '2018-11-01T01:00:41Z', NULL);
    `);

    assert.equal((await f.app.inject({ method: 'GET', url: '/ui/dags/etl/grid' })).statusCode, 401, 'no token');

    const grid = await get('/ui/dags/etl/grid?limit=5');
    assert.equal(grid.status, 200);
    assert.deepEqual(grid.body.tasks.map((x: { id: string }) => x.id), ['extract', 'transform', 'load'], 'topological order');
    assert.deepEqual(grid.body.runs.map((r: { runId: string; state: string }) => [r.runId, r.state]), [[runId, 'running']]);
    assert.deepEqual(grid.body.cells.map((c: { taskId: string; state: string; tryNumber: number }) => [c.taskId, c.state, c.tryNumber]).sort(),
      [['extract', 'success', 2], ['load', 'none', 0], ['transform', 'running', 1]]);
    assert.equal((await get('/ui/dags/nope/grid')).status, 404);
    assert.equal((await get('/ui/dags/etl/grid?limit=0')).status, 422, 'a limit below 1 is refused');

    const graph = await get('/ui/dags/etl/graph');
    assert.equal(graph.body.runId, runId, 'the newest run by default');
    assert.deepEqual(graph.body.tasks.find((x: { id: string }) => x.id === 'load').upstream, ['transform']);
    assert.deepEqual(graph.body.states.transform, { state: 'running', tryNumber: 1 });
    assert.equal((await get('/ui/dags/etl/graph?run_id=nope')).status, 404);
    assert.deepEqual((await get('/ui/dags/etl/params')).body, { params: {} });
    assert.equal((await get('/ui/dags/nope/params')).status, 404);

    const gantt = await get(`/ui/dags/etl/runs/${run}/gantt`);
    assert.deepEqual(gantt.body.tries.map((x: { taskId: string; tryNumber: number; state: string; endDate: string | null }) => [x.taskId, x.tryNumber, x.state, x.endDate]), [
      ['extract', 1, 'up_for_retry', '2018-11-01T01:00:05.000Z'], ['extract', 2, 'success', '2018-11-01T01:00:40.000Z'], ['transform', 1, 'running', null],
    ]);
    assert.equal((await get('/ui/dags/etl/runs/nope/gantt')).status, 404);

    // Durations count finished runs and successful tasks only.
    let durations = await get('/ui/dags/etl/durations');
    assert.deepEqual(durations.body, { runs: [], tasks: [{ runId, logicalDate: '2018-11-01T00:00:00.000Z', taskId: 'extract', seconds: 30 }] });
    await f.engine.exec(`UPDATE orch_dag_run SET state = 'success', end_date = '2018-11-01T01:02:00Z' WHERE dag_id = 'etl'`);
    durations = await get('/ui/dags/etl/durations');
    assert.deepEqual(durations.body.runs, [{ runId, logicalDate: '2018-11-01T00:00:00.000Z', state: 'success', seconds: 120 }]);

    assert.deepEqual((await get('/ui/dags')).body, { dags: [{ dagId: 'etl', recentRuns: [{ runId, state: 'success', logicalDate: '2018-11-01T00:00:00.000Z' }] }] });

    // A DataQuality task's results: a passing one returned them; a failing one stored them under quality_results.
    const dq = dagVersion('dq', [task('ok_checks', { operator: 'DataQuality' }), task('bad_checks', { operator: 'DataQuality' }), task('other')]);
    const dqRun = 'manual__2018-11-01T00:00:00+00:00';
    await f.engine.transaction(async (tx) => {
      await upsertDagVersion(tx, dq, f.clock.now());
      const at = new Date('2018-11-01T00:00:00Z');
      await createDagRun(tx, { dagId: 'dq', runId: dqRun, version: dq.hash, runType: 'manual', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at }, at);
      await createTaskInstances(tx, 'dq', dqRun);
      const key = (taskId: string) => ({ dagId: 'dq', runId: dqRun, taskId });
      await putResult(tx, key('ok_checks'), [{ name: 'users loaded', sql: 'SELECT count(*) FROM users', expect: 'not empty', value: 104, passed: true }], at);
      await putResult(tx, key('bad_checks'), [{ name: 'no null users', sql: 'SELECT …', expect: { equals: 0 }, value: 3, passed: false, reason: 'expected 0, got 3' }], at, 'quality_results');
      await putResult(tx, key('other'), [{ name: 'not a check', passed: true }], at);
    });
    const quality = await get(`/ui/dags/dq/runs/${encodeURIComponent(dqRun)}/quality`);
    assert.deepEqual(quality.body.checks.map((c: { taskId: string; name: string; passed: boolean; value: unknown }) => [c.taskId, c.name, c.passed, c.value]).sort(),
      [['bad_checks', 'no null users', false, 3], ['ok_checks', 'users loaded', true, 104]]);

    await recordLineage(f.engine, { dagId: 'etl', runId, taskId: 'load' }, [{ kind: 'table', name: 'staging_events' }], [{ kind: 'table', name: 'songplays' }]);
    await recordLineage(f.engine, { dagId: 'etl', runId, taskId: 'extract' }, [{ kind: 'objects', name: 's3://bucket/log_data/' }], [{ kind: 'table', name: 'staging_events' }]);
    const lineage = await get('/ui/lineage?name=songplays');
    assert.deepEqual(lineage.body.datasets, ['songplays', 'staging_events']);
    assert.deepEqual(lineage.body.steps.map((s: { depth: number; taskId: string; inputs: { name: string }[] }) => [s.depth, s.taskId, s.inputs.map((i) => i.name)]),
      [[1, 'load', ['staging_events']], [2, 'extract', ['s3://bucket/log_data/']]]);
  });
}

for (const target of warehouseTargets) {
  test(`${target}: the analytics queries answer the star schema's questions`, async (t) => {
    const warehouse = await freshWarehouse(t, target);
    if (!warehouse) return;
    await fillStar(warehouse, target);
    assert.deepEqual(await readAnalytics(warehouse), {
      playsByHour: [{ hour: 9, plays: 2 }, { hour: 10, plays: 1 }, { hour: 21, plays: 1 }],
      dailyActiveUsers: [{ day: '2018-11-01', users: 2 }, { day: '2018-11-02', users: 1 }],
      levelsByDay: [{ day: '2018-11-01', free: 2, paid: 0 }, { day: '2018-11-02', free: 0, paid: 2 }],
      topSongs: [{ song: 'Green Bar', artist: 'The Testers', plays: 3 }, { song: 'Flaky Blues', artist: 'Null Pointers', plays: 1 }],
      topArtists: [{ artist: 'The Testers', plays: 3 }, { artist: 'Null Pointers', plays: 1 }],
      playsByLocation: [{ location: 'Lansing-East Lansing, MI', plays: 3 }, { location: 'Portland-South Portland, ME', plays: 1 }],
    });
  });
}

test('pglite: /ui/analytics reads the sparkify_warehouse connection; a warehouse with no star schema is a 404 that says so', async (t) => {
  const f = await apiFixture(t, 'pglite');
  if (!f) return;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-ui-analytics-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'warehouse.duckdb');
  await putConnection(f.engine, f.secrets, { connId: 'sparkify_warehouse', connType: 'duckdb', host: path, port: null, login: null, schema: null, password: null, extra: {}, description: null });
  const headers = await f.auth('viewer');
  const empty = await f.app.inject({ method: 'GET', url: '/ui/analytics', headers });
  assert.equal(empty.statusCode, 404);
  assert.match(empty.json().detail, /no star schema yet/);
  const engine = await DuckDbEngine.open({ path });
  await fillStar(engine, 'duckdb');
  await engine.close();
  const res = await f.app.inject({ method: 'GET', url: '/ui/analytics', headers });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().warehouse, `duckdb ${path}`);
  assert.deepEqual(res.json().topArtists, [{ artist: 'The Testers', plays: 3 }, { artist: 'Null Pointers', plays: 1 }]);
  // Closed after the request: another process (a task) can open the file at once.
  const again = await DuckDbEngine.open({ path });
  await again.close();
});
