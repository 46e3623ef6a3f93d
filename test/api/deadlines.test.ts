import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordDeadlineMisses } from '../../src/orchestrator/metadb/deadlines.ts';
import { apiFixture, engineKinds, runId } from './api-fixture.ts';

for (const kind of engineKinds) {
  test(`${kind}: missed deadlines are listed per DAG (or all), newest first, to a user`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    await recordDeadlineMisses(f.engine, 'etl', [
      { runId, taskId: null, reference: 'dataIntervalEnd', deadline: new Date('2018-11-01T02:00:00Z'), alert: true },
      { runId, taskId: 'load', reference: 'queuedAt', deadline: new Date('2018-11-01T01:30:00Z'), alert: false },
    ], f.clock.now());
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/deadlines' })).statusCode, 401);
    const viewer = await f.auth('viewer');
    const res = await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/deadlines', headers: viewer });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total_entries, 2);
    const byTask = Object.fromEntries(body.deadlines.map((d: { task_id: string | null }) => [d.task_id ?? '(run)', d]));
    assert.deepEqual({ ...byTask['(run)'], alerted_at: undefined }, {
      dag_id: 'etl', dag_run_id: runId, task_id: null, reference: 'dataIntervalEnd', deadline_time: '2018-11-01T02:00:00.000Z', missed: true,
      missed_at: '2026-12-08T00:00:00.000Z', alert_state: 'pending', alerted_at: undefined, alert_error: null, dag_run_state: 'queued',
    });
    assert.equal(byTask.load.alert_state, 'none');
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/~/deadlines?limit=1', headers: viewer })).json().deadlines.length, 1);
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/deadlines?dag_run_id=other', headers: viewer })).json().total_entries, 0);
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/nope/deadlines', headers: viewer })).statusCode, 404);
  });
}
