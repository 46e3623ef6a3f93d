import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { appendLog } from '../../src/orchestrator/metadb/task-logs.ts';
import { putResult } from '../../src/orchestrator/metadb/task-results.ts';
import { apiFixture, engineKinds, runId, runPath } from './api-fixture.ts';

for (const kind of engineKinds) {
  test(`${kind}: bad requests get a 4xx problem, never a stack trace`, async (t) => {
    const f = await apiFixture(t, kind, { bodyLimit: 4096 });
    if (f === undefined) return;
    const headers = { ...(await f.auth('admin')), 'content-type': 'application/json' };
    const cases: [string, string, string | undefined, number][] = [
      ['PATCH', '/api/v2/dags/etl', '{"is_paused": tru', 400],
      ['PATCH', '/api/v2/dags/etl', '{"is_paused": "true"}', 422],
      ['PATCH', '/api/v2/dags/etl', '{}', 422],
      ['PATCH', '/api/v2/dags/etl', JSON.stringify({ is_paused: true, pad: 'x'.repeat(5000) }), 413],
      ['POST', '/api/v2/dags/etl/dagRuns', '{"logical_date": "yesterday"}', 422],
      ['POST', '/api/v2/dags/etl/dagRuns', '{"conf": [1, 2]}', 422],
      ['PATCH', '/api/v2/dags/nope', '{"is_paused": true}', 404],
      ['GET', '/api/v2/dags/nope', undefined, 404],
      ['GET', '/api/v2/dags/etl/dagRuns/nope', undefined, 404],
      ['GET', `${runPath}/taskInstances/nope`, undefined, 404],
      ['GET', `${runPath}/taskInstances/extract/logs/7`, undefined, 404],
      ['GET', '/api/v2/dags?limit=-1', undefined, 422],
      ['GET', '/api/v2/dags?limit=ten', undefined, 422],
      ['GET', '/api/v2/connections/nope', undefined, 404],
      ['GET', '/api/v2/no/such/route', undefined, 404],
      ['POST', '/api/v2/pools', '{"name": "p", "slots": 1.5}', 422],
      ['DELETE', '/api/v2/pools/default_pool', undefined, 400],
      ['POST', '/api/v2/dags/etl/clearTaskInstances', `{"dag_run_id": "${runId}", "task_ids": ["nope"], "only_failed": false, "dry_run": false}`, 404],
    ];
    for (const [method, url, payload, status] of cases) {
      const res: LightMyRequestResponse = await f.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
      assert.equal(res.statusCode, status, `${method} ${url} ${payload?.slice(0, 40)}: ${res.body}`);
      const body = res.json();
      assert.equal(body.status, status);
      assert.equal(typeof body.detail, 'string');
      assert.equal(typeof body.title, 'string');
      assert.doesNotMatch(res.body, /\bat .*\.ts:\d+|node_modules|Error:/, 'no stack trace');
    }
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/monitor/health' })).statusCode, 200, 'still up');
  });

  test(`${kind}: secrets never leave the server: connection passwords and extras, sensitive variables`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const admin = await f.auth('admin');
    const add = await f.app.inject({ method: 'POST', url: '/api/v2/connections', headers: admin,
      payload: { connection_id: 'warehouse', conn_type: 'postgres', host: 'db', port: 5432, login: 'etl', password: 'p4ss-SECRET', extra: '{"sslkey":"KEY-SECRET","region":"eu"}' } });
    assert.equal(add.statusCode, 201);
    const again = await f.app.inject({ method: 'POST', url: '/api/v2/connections', headers: admin, payload: { connection_id: 'warehouse', conn_type: 'postgres' } });
    assert.equal(again.statusCode, 409);
    const patched = await f.app.inject({ method: 'PATCH', url: '/api/v2/connections/warehouse', headers: admin, payload: { connection_id: 'warehouse', conn_type: 'postgres', host: 'db2' } });
    assert.equal(patched.json().host, 'db2');
    for (const name of ['api_token', 'plain']) {
      assert.equal((await f.app.inject({ method: 'POST', url: '/api/v2/variables', headers: admin, payload: { key: name, value: `VAL-SECRET-${name}` } })).statusCode, 201);
    }
    const bodies = [
      patched.body, add.body,
      (await f.app.inject({ method: 'GET', url: '/api/v2/connections', headers: admin })).body,
      (await f.app.inject({ method: 'GET', url: '/api/v2/connections/warehouse', headers: admin })).body,
      (await f.app.inject({ method: 'GET', url: '/api/v2/variables', headers: admin })).body,
      (await f.app.inject({ method: 'GET', url: '/api/v2/variables/api_token', headers: admin })).body,
    ];
    for (const body of bodies) {
      assert.doesNotMatch(body, /p4ss-SECRET|KEY-SECRET|VAL-SECRET-api_token/);
    }
    const conn = JSON.parse(bodies[3] as string);
    assert.equal(conn.password, '***');
    assert.deepEqual(JSON.parse(conn.extra), { sslkey: '***', region: '***' });
    assert.equal(JSON.parse(bodies[4] as string).variables.find((v: { key: string }) => v.key === 'plain').value, 'VAL-SECRET-plain');
    // The password kept its value through the PATCH that left it out (a hook still gets it).
    const { getConnection } = await import('../../src/orchestrator/metadb/connections.ts');
    assert.equal((await getConnection(f.engine, f.secrets, 'warehouse')).password, 'p4ss-SECRET');
  });

  test(`${kind}: runs: trigger with conf, a second at the same date conflicts, pages with total_entries, clear and mark`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const op = await f.auth('operator');
    const trig = await f.app.inject({ method: 'POST', url: '/api/v2/dags/etl/dagRuns', headers: op, payload: { logical_date: '2026-12-01T05:00:00+00:00', conf: { day: 1 } } });
    assert.equal(trig.statusCode, 200);
    assert.equal(trig.json().dag_run_id, 'manual__2026-12-01T05:00:00+00:00');
    assert.deepEqual(trig.json().conf, { day: 1 });
    assert.equal(trig.json().state, 'queued');
    assert.equal((await f.app.inject({ method: 'POST', url: '/api/v2/dags/etl/dagRuns', headers: op, payload: { logical_date: '2026-12-01T05:00:00Z' } })).statusCode, 409);
    const first = (await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/dagRuns?limit=1' })).json();
    assert.equal(first.total_entries, 2);
    assert.deepEqual(first.dag_runs.map((r: { dag_run_id: string }) => r.dag_run_id), [runId]);
    const second = (await f.app.inject({ method: 'GET', url: '/api/v2/dags/~/dagRuns?limit=1&offset=1' })).json();
    assert.deepEqual([second.total_entries, second.dag_runs[0].dag_run_id], [2, 'manual__2026-12-01T05:00:00+00:00']);
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/dagRuns?offset=5' })).json().total_entries, 2);
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl/dagRuns?state=failed' })).json().total_entries, 0);

    // Mark extract failed with its downstream, then clear transform with downstream: the run is queued again.
    const mark = await f.app.inject({ method: 'PATCH', url: `${runPath}/taskInstances/extract`, headers: op, payload: { new_state: 'failed', include_downstream: true } });
    assert.equal(mark.statusCode, 200);
    assert.deepEqual(mark.json().task_instances.map((ti: { task_id: string; state: string }) => `${ti.task_id}:${ti.state}`), ['extract:failed', 'load:failed', 'transform:failed']);
    const dry = await f.app.inject({ method: 'POST', url: '/api/v2/dags/etl/clearTaskInstances', headers: op, payload: { dag_run_id: runId, task_ids: ['transform'], include_downstream: true } });
    assert.deepEqual(dry.json().task_instances.map((ti: { task_id: string }) => ti.task_id), ['load', 'transform']);
    const states = async () => (await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances` })).json().task_instances.map((ti: { task_id: string; state: string | null }) => `${ti.task_id}:${ti.state}`);
    assert.deepEqual(await states(), ['extract:failed', 'load:failed', 'transform:failed'], 'a dry run changes nothing');
    const real = await f.app.inject({ method: 'POST', url: '/api/v2/dags/etl/clearTaskInstances', headers: op, payload: { dag_run_id: runId, task_ids: ['transform'], include_downstream: true, dry_run: false } });
    assert.equal(real.json().total_entries, 2);
    assert.deepEqual(await states(), ['extract:failed', 'load:null', 'transform:null']);
    const ti = (await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/transform` })).json();
    assert.equal(ti.max_tries, 2, "Airflow's max_tries: the retries");
    const clearRun = await f.app.inject({ method: 'POST', url: `${runPath}/clear`, headers: op, payload: { dry_run: false, only_failed: true } });
    assert.equal(clearRun.statusCode, 200);
    assert.equal(clearRun.json().dag_run_id, runId);
    assert.deepEqual(await states(), ['extract:null', 'load:null', 'transform:null']);

    // An ended run: marking a task instance as it already is changes nothing; marking it otherwise queues the run again.
    await f.engine.query(`UPDATE orch_task_instance SET state = 'success' WHERE dag_id = 'etl' AND run_id = $1`, [runId]);
    await f.engine.query(`UPDATE orch_dag_run SET state = 'success' WHERE dag_id = 'etl' AND run_id = $1`, [runId]);
    const runState = async () => (await f.app.inject({ method: 'GET', url: runPath })).json().state;
    await f.app.inject({ method: 'PATCH', url: `${runPath}/taskInstances/load`, headers: op, payload: { new_state: 'success' } });
    assert.equal(await runState(), 'success');
    await f.app.inject({ method: 'PATCH', url: `${runPath}/taskInstances/load`, headers: op, payload: { new_state: 'failed' } });
    assert.equal(await runState(), 'queued');
  });

  test(`${kind}: logs per try (JSON and text, a user needed) and task results as XCom entries`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const key = { dagId: 'etl', runId, taskId: 'extract' };
    // Set-based setup of a finished first try (the claim path has tests of its own).
    await f.engine.query(`UPDATE orch_task_instance SET state = 'success', try_number = 1 WHERE dag_id = 'etl' AND task_id = 'extract'`);
    await f.engine.query(`INSERT INTO orch_task_try (dag_id, run_id, task_id, try_number, state, hostname, start_date, end_date) VALUES ('etl', $1, 'extract', 1, 'success', 'h1', $2, $2)`, [runId, f.clock.now()]);
    await appendLog(f.engine, key, 1, 'reading 3 files\n');
    await appendLog(f.engine, key, 1, 'done\n');
    await putResult(f.engine, key, { rows: 42 }, f.clock.now());
    const viewer = await f.auth('viewer');
    const log = await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/logs/1`, headers: viewer });
    assert.deepEqual(log.json(), { content: [{ event: 'reading 3 files', timestamp: null }, { event: 'done', timestamp: null }], continuation_token: null });
    const text = await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/logs/1`, headers: { ...viewer, accept: 'text/plain' } });
    assert.equal(text.body, 'reading 3 files\ndone\n');
    assert.equal((await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract` })).json().hostname, 'h1');
    const tries = (await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/tries` })).json();
    assert.deepEqual(tries.task_instances.map((x: { try_number: number; state: string; hostname: string }) => [x.try_number, x.state, x.hostname]), [[1, 'success', 'h1']]);
    assert.equal((await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/tries/1` })).json().duration, 0);
    assert.equal((await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/tries/2` })).statusCode, 404);
    const entries = (await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/xcomEntries` })).json();
    assert.deepEqual([entries.total_entries, entries.xcom_entries[0].key, entries.xcom_entries[0].map_index], [1, 'return_value', -1]);
    const value = (await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/xcomEntries/return_value` })).json();
    assert.deepEqual(value.value, { rows: 42 });
    assert.equal((await f.app.inject({ method: 'GET', url: `${runPath}/taskInstances/extract/xcomEntries/nope` })).statusCode, 404);
  });

  test(`${kind}: the OpenAPI document is generated from the routes' schemas`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const doc = (await f.app.inject({ method: 'GET', url: '/api/v2/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v2/dags', '/api/v2/dags/{dag_id}/dagRuns', '/api/v2/dags/{dag_id}/clearTaskInstances', '/auth/token',
      '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}', '/api/v2/connections/{connection_id}']) {
      assert.ok(doc.paths[path], path);
    }
    assert.ok(doc.paths['/api/v2/dags/{dag_id}'].patch.requestBody);
    assert.deepEqual(doc.paths['/api/v2/dags/{dag_id}'].patch.security, [{ bearer: [] }], 'a write says it needs a token');
    assert.equal(doc.paths['/api/v2/dags/{dag_id}'].get.security, undefined, 'a public read does not');
    assert.deepEqual(doc.paths['/api/v2/connections'].get.security, [{ bearer: [] }]);
  });
}
