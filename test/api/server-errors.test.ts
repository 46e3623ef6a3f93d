import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFixture, engineKinds } from './api-fixture.ts';

for (const kind of engineKinds) {
  test(`${kind}: a failure of the server is a 500 that says nothing of it; its stack goes to the server's log`, async (t) => {
    const lines: string[] = [];
    const f = await apiFixture(t, kind, { logger: { level: 'error', stream: { write: (line: string) => void lines.push(line) } } });
    if (f === undefined) return;
    const admin = await f.auth('admin');
    // Tables go missing under the server (as after a bad manual change): their queries now fail inside the routes.
    await f.engine.exec('ALTER TABLE orch_dag RENAME TO orch_dag_gone; ALTER TABLE orch_api_token RENAME TO orch_api_token_gone');
    const res = await f.app.inject({ method: 'GET', url: '/api/v2/dags' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { detail: 'internal error (logged on the server)', status: 500, title: 'Internal Server Error' });
    assert.doesNotMatch(res.body, /orch_dag|relation|does not exist/, 'nothing of the SQL error');
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/variables', headers: admin })).statusCode, 500, 'a token cannot be checked either');
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { stack?: string } });
    assert.ok(logged.some((l) => l.level === 50 && l.msg === 'request failed' && /orch_dag/.test(l.err?.stack ?? '')), lines.join('\n'));
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/monitor/health' })).statusCode, 200, 'the server is still up');
  });
}
