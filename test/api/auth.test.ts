import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { apiFixture, engineKinds, passwords, runPath } from './api-fixture.ts';

for (const kind of engineKinds) {
  test(`${kind}: writes and reads of connections, variables and logs need a user; a viewer may read but not write`, async (t) => {
    const f = await apiFixture(t, kind);
    if (f === undefined) return;
    const anonymous = [
      ['PATCH', '/api/v2/dags/etl', { is_paused: false }], ['POST', '/api/v2/dags/etl/dagRuns', { logical_date: null }],
      ['GET', '/api/v2/connections'], ['GET', '/api/v2/variables'], ['GET', `${runPath}/taskInstances/extract/logs/1`],
      ['POST', '/api/v2/pools', { name: 'p', slots: 1 }], ['POST', '/api/v2/dags/etl/clearTaskInstances', { dag_run_id: 'x' }],
    ] as const;
    for (const [method, url, payload] of anonymous) {
      const res: LightMyRequestResponse = await f.app.inject({ method, url, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(res.headers['www-authenticate'], 'Bearer');
      assert.deepEqual(Object.keys(res.json()).sort(), ['detail', 'status', 'title']);
    }
    // Reads of DAGs stay open, as the issue asks only for these.
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags' })).statusCode, 200);
    const viewer = await f.auth('viewer');
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/connections', headers: viewer })).statusCode, 200);
    const denied = await f.app.inject({ method: 'PATCH', url: '/api/v2/dags/etl', headers: viewer, payload: { is_paused: false } });
    assert.equal(denied.statusCode, 403);
    assert.match(denied.json().detail, /viewer.*operator/);
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v2/dags/etl' })).json().is_paused, true, 'the viewer changed nothing');
    const operator = await f.auth('operator');
    const ok = await f.app.inject({ method: 'PATCH', url: '/api/v2/dags/etl', headers: operator, payload: { is_paused: false } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().is_paused, false);
  });

  test(`${kind}: tokens: unknown, malformed, expired and revoked ones are refused; only the hash is stored`, async (t) => {
    const f = await apiFixture(t, kind, { tokenTtlMs: 3_600_000 });
    if (f === undefined) return;
    const token = await f.token('admin');
    const [stored] = await f.engine.query<{ token_sha256: string; expires_at: Date }>('SELECT token_sha256, expires_at FROM orch_api_token');
    assert.notEqual(stored?.token_sha256, token);
    assert.equal(stored?.expires_at.toISOString(), '2026-12-08T01:00:00.000Z');
    const read = (authorization: string) => f.app.inject({ method: 'GET', url: '/api/v2/variables', headers: { authorization } });
    assert.equal((await read(`Bearer ${token}`)).statusCode, 200);
    assert.equal((await read(`Bearer ${token}x`)).statusCode, 401);
    assert.equal((await read('Bearer')).statusCode, 401);
    assert.equal((await read(`Basic ${Buffer.from(`admin:${passwords.admin}`).toString('base64')}`)).statusCode, 401);
    f.clock.advance(3_600_000);
    assert.equal((await read(`Bearer ${token}`)).statusCode, 401, 'expired');
    const login = await f.app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'admin', password: passwords.admin } });
    assert.equal(login.headers['cache-control'], 'no-store', 'a token is never cached');
    assert.equal(login.headers['x-content-type-options'], 'nosniff');
    const fresh = login.json().access_token as string;
    assert.equal((await f.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: `Bearer ${fresh}` } })).statusCode, 204);
    assert.equal((await read(`Bearer ${fresh}`)).statusCode, 401, 'revoked');
    const viewer = await f.token('viewer');
    assert.equal((await read(`Bearer ${viewer}`)).statusCode, 200);
    const { deleteUser } = await import('../../src/orchestrator/metadb/users.ts');
    assert.equal(await deleteUser(f.engine, 'viewer'), true);
    assert.equal((await read(`Bearer ${viewer}`)).statusCode, 401, 'a deleted user\'s token stops working at once');
  });

  test(`${kind}: repeated failed logins are slowed per username, on the injected clock, and a good login clears them`, async (t) => {
    const f = await apiFixture(t, kind, { loginBackoff: { freeFailures: 3, baseSeconds: 2, maxSeconds: 60 } });
    if (f === undefined) return;
    const login = (username: string, password: string) => f.app.inject({ method: 'POST', url: '/auth/token', payload: { username, password } });
    for (let i = 0; i < 3; i++) assert.equal((await login('operator', 'wrong')).statusCode, 401);
    const blocked = await login('operator', 'wrong');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.headers['retry-after'], '2');
    // While blocked even the right password is refused (it is not checked), and other names are not affected.
    assert.equal((await login('operator', passwords.operator)).statusCode, 429);
    assert.equal((await login('viewer', passwords.viewer)).statusCode, 201);
    f.clock.advance(2_000);
    const fifth = await login('operator', 'wrong');
    assert.equal(fifth.statusCode, 429);
    assert.equal(fifth.headers['retry-after'], '4', 'the fifth failure doubles the wait');
    f.clock.advance(4_000);
    assert.equal((await login('operator', passwords.operator)).statusCode, 201);
    assert.equal((await f.engine.query('SELECT * FROM orch_login_failure WHERE username = $1', ['operator'])).length, 0);
    // Concurrent guesses take turns on the name's row: three are checked, then the block holds for all the rest.
    const burst = await Promise.all(Array.from({ length: 20 }, () => login('viewer', 'wrong')));
    assert.deepEqual(burst.map((r) => r.statusCode).sort(), [...Array(3).fill(401), ...Array(17).fill(429)]);
    // An unknown name is counted like a known one (no telling them apart).
    for (let i = 0; i < 3; i++) assert.equal((await login('nobody', 'x')).statusCode, 401);
    assert.equal((await login('nobody', 'x')).statusCode, 429);
  });
}
