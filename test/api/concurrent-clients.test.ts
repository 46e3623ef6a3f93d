import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { engineKinds } from '../support/engines.ts';
import { liveDagId, livePassword, startLiveWorld } from './live-world.ts';

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One client: its own TCP connection (no shared agent), one request, the whole answer read. */
function call(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const kind of engineKinds) {
  test(`${kind}: 200 concurrent clients, reads, triggers and bad requests mixed, are all answered and the server stays up`, { timeout: 180_000 }, async (t) => {
    const world = await startLiveWorld(t, kind, { scheduler: false });
    if (world === undefined) return;
    const login = await call(world.baseUrl, 'POST', '/auth/token', {}, JSON.stringify({ username: 'admin', password: livePassword }));
    const auth = { authorization: `Bearer ${JSON.parse(login.body).access_token}` };
    const clients = Array.from({ length: 200 }, (_, i) => {
      switch (i % 5) {
        case 0: return call(world.baseUrl, 'GET', '/api/v2/dags').then((a) => ({ a, want: 200 }));
        case 1: return call(world.baseUrl, 'GET', `/api/v2/dags/${liveDagId}/dagRuns?limit=10`).then((a) => ({ a, want: 200 }));
        case 2: {
          // Forty triggers at forty distinct logical dates: forty runs, no lost write.
          const logicalDate = new Date(Date.UTC(2026, 0, 1, i)).toISOString();
          return call(world.baseUrl, 'POST', `/api/v2/dags/${liveDagId}/dagRuns`, auth, JSON.stringify({ logical_date: logicalDate })).then((a) => ({ a, want: 200 }));
        }
        case 3: return call(world.baseUrl, 'POST', `/api/v2/dags/${liveDagId}/dagRuns`, auth, '{"logical_date": ').then((a) => ({ a, want: 400 }));
        default: return call(world.baseUrl, 'GET', '/api/v2/variables').then((a) => ({ a, want: 401 }));
      }
    });
    const answers = await Promise.all(clients);
    const wrong = answers.filter(({ a, want }) => a.status !== want).map(({ a, want }) => `${a.status} (wanted ${want}): ${a.body.slice(0, 200)}`);
    assert.deepEqual(wrong, []);
    for (const { a } of answers) assert.equal(JSON.parse(a.body) !== null, true, 'every answer is JSON');
    const ms = answers.map(({ a }) => a.ms).sort((x, y) => x - y);
    t.diagnostic(`${kind}: 200 clients answered, p50 ${ms[99]?.toFixed(0)} ms, max ${ms[199]?.toFixed(0)} ms`);
    const runs = JSON.parse((await call(world.baseUrl, 'GET', `/api/v2/dags/${liveDagId}/dagRuns?limit=1`)).body);
    assert.equal(runs.total_entries, 40);
    assert.equal((await call(world.baseUrl, 'GET', '/api/v2/monitor/health')).status, 200);
  });
}
