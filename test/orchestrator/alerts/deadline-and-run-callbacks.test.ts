import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { claimTaskInstances } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { listDeadlineMisses } from '../../../src/orchestrator/metadb/deadlines.ts';
import { setTaskState } from '../../../src/orchestrator/metadb/task-instances.ts';
import { createScheduler, triggerDagRun } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { metadb } from '../metadb/fixtures.ts';
import { dagFolder, testBox } from '../runner/runner-fixture.ts';
import { smtpServer } from './smtp-fixture.ts';

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : []);

test("a run past its deadline: one email and one onMiss call while it runs (in a child process, not the scheduler's), then the DAG's onSuccessCallback once it ends", async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const smtp = await smtpServer(t);
  await putConnection(engine, testBox, {
    connId: 'smtp_default', connType: 'smtp', host: '127.0.0.1', port: smtp.port, login: smtp.login.user, password: smtp.login.pass, schema: null,
    extra: { from: 'sparkify@example.test', starttls: false }, description: null,
  });
  const folder = await dagFolder(t, {});
  const out = join(folder, 'callbacks.jsonl');
  const { writeFile } = await import('node:fs/promises');
  const { imports } = await import('../runner/runner-fixture.ts');
  await writeFile(join(folder, 'watched.ts'), `${imports}import { appendFileSync } from 'node:fs';
const note = (o) => appendFileSync(${JSON.stringify(out)}, JSON.stringify({ ...o, pid: process.pid }) + '\\n');
const d = dag({ id: 'watched', schedule: null, start: '2018-11-01',
  deadline: { reference: 'queuedAt', interval: '15m', email: 'oncall@example.test',
    onMiss: (c) => note({ kind: 'miss', runId: c.runId, taskId: c.taskId, deadline: c.deadline.toISOString(), reference: c.reference }) },
  onSuccessCallback: (c) => note({ kind: 'success', runId: c.runId, state: c.state, endDate: c.endDate.toISOString() }),
  onFailureCallback: (c) => note({ kind: 'failure', runId: c.runId }),
});
new op.Succeed(d, 'work', { value: 1 });
export default d;`);
  const clock = new TestClock('2026-12-08T10:00:00Z');
  const scheduler = createScheduler({ engine, clock, dagFolder: folder, pausedAtCreation: false, dagFolderIntervalMs: 86_400_000, alerts: { secrets: testBox, settings: { smtpConnId: 'smtp_default', baseUrl: 'http://ui.example.test' } } });
  assert.deepEqual((await scheduler.tick()).sync?.newVersions, ['watched']);
  const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'watched', now: clock.now() }));
  await scheduler.tick();
  const [claim] = await engine.transaction((tx) => claimTaskInstances(tx, { worker: 'holder', hostname: 'test', limit: 10, now: clock.now(), leaseMs: 86_400_000 }));
  assert.equal(claim?.taskId, 'work');

  clock.set('2026-12-08T10:14:59Z');
  assert.deepEqual((await scheduler.tick()).report.deadlinesMissed, []);
  clock.set('2026-12-08T10:15:00Z');
  const missed = (await scheduler.tick()).report;
  assert.deepEqual([missed.deadlinesMissed.length, missed.callbacksRun, missed.deadlineAlertsSent], [1, 1, 1]);
  const [mail] = await smtp.next(1);
  assert.deepEqual(mail?.rcptTo, ['oncall@example.test']);
  assert.equal(mail?.subject, `Sparkify deadline missed: watched (run ${run.runId})`);
  assert.ok(mail?.body.includes('Deadline: 2026-12-08T10:15:00.000Z (queuedAt + interval)'), mail?.body);
  assert.ok(mail?.body.includes(`Run: http://ui.example.test/dags/watched/runs/${encodeURIComponent(run.runId)}`), mail?.body);
  const [miss] = lines(out);
  assert.deepEqual({ ...miss, pid: undefined }, { kind: 'miss', runId: run.runId, taskId: null, deadline: '2026-12-08T10:15:00.000Z', reference: 'queuedAt', pid: undefined });
  assert.ok(Number(miss?.pid) !== process.pid, "the callback ran in a child process, not the scheduler's");
  assert.deepEqual((await listDeadlineMisses(engine, { dagId: 'watched' })).map((m) => [m.alertState, m.runState]), [['sent', 'running']]);

  for (let i = 0; i < 3; i++) {
    clock.advance(60_000);
    const r = (await scheduler.tick()).report;
    assert.deepEqual([r.deadlinesMissed.length, r.callbacksRun, r.deadlineAlertsSent], [0, 0, 0], 'alerted once');
  }
  assert.equal(smtp.received.length, 1);

  await setTaskState(engine, claim!, { state: 'success', expected: ['running'], now: clock.now(), claim: { worker: 'holder', tryNumber: 1 } });
  const ended = (await scheduler.tick()).report;
  assert.deepEqual([ended.runsFinished.map((f) => f.state), ended.callbacksRun], [['success'], 1]);
  assert.deepEqual(lines(out).map((l) => [l.kind, l.runId]), [['miss', run.runId], ['success', run.runId]]);
  assert.equal(lines(out)[1]?.endDate, '2026-12-08T10:18:00.000Z');
  assert.equal((await scheduler.tick()).report.callbacksRun, 0, 'run once');
});

test("a DAG's failure callback that throws, and one that hangs past its limit: each kept as failed with the reason, the loop goes on", async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const folder = await dagFolder(t, {
    'throws.ts': `const d = dag({ id: 'throws', schedule: null, start: '2018-11-01', onFailureCallback: () => { throw new Error('pager is down'); } });
new op.Succeed(d, 'a', { value: 1 });
export default d;`,
    'hangs.ts': `const d = dag({ id: 'hangs', schedule: null, start: '2018-11-01', onFailureCallback: () => new Promise(() => setInterval(() => {}, 1000)) });
new op.Succeed(d, 'a', { value: 1 });
export default d;`,
  });
  const clock = new TestClock('2026-12-08T10:00:00Z');
  const scheduler = createScheduler({ engine, clock, dagFolder: folder, pausedAtCreation: false, dagFolderIntervalMs: 86_400_000, callbackTimeoutMs: 1500 });
  await scheduler.tick();
  for (const dagId of ['throws', 'hangs']) await engine.transaction((tx) => triggerDagRun(tx, { dagId, now: clock.now() }));
  await scheduler.tick();
  const claimed = await engine.transaction((tx) => claimTaskInstances(tx, { worker: 'w', hostname: 'test', limit: 10, now: clock.now(), leaseMs: 86_400_000 }));
  for (const c of claimed) await setTaskState(engine, c, { state: 'failed', expected: ['running'], now: clock.now(), claim: { worker: 'w', tryNumber: 1 }, error: 'boom' });
  const r = (await scheduler.tick()).report;
  assert.deepEqual([r.runsFinished.map((f) => f.state), r.callbacksRun], [['failed', 'failed'], 2]);
  const requests = await engine.query<{ dag_id: string; kind: string; state: string; error: string }>('SELECT dag_id, kind, state, error FROM orch_callback_request ORDER BY dag_id');
  assert.deepEqual(requests.map((q) => [q.dag_id, q.kind, q.state]), [['hangs', 'dag_failure', 'failed'], ['throws', 'dag_failure', 'failed']]);
  assert.match(requests[0]?.error ?? '', /did not end within 1500 ms: its process was killed/);
  assert.match(requests[1]?.error ?? '', /Error: pager is down/);
  assert.equal((await scheduler.tick()).report.callbacksRun, 0, 'a failed callback is not run again');
});
