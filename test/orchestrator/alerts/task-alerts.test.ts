import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { metadb } from '../metadb/fixtures.ts';
import { dagFolder, logOf, queue, queueRun, testBox, testExecutor, versionOf } from '../runner/runner-fixture.ts';
import { smtpServer } from './smtp-fixture.ts';

const key = (taskId: string) => ({ dagId: 'alerting', runId: 'manual__1', taskId });

test('a retried and then failed try: each emailed through the SMTP connection (subject, recipients, body with the log link), callbacks run in the task process', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const smtp = await smtpServer(t);
  await putConnection(engine, testBox, {
    connId: 'smtp_default', connType: 'smtp', host: '127.0.0.1', port: smtp.port, login: smtp.login.user, password: smtp.login.pass, schema: null,
    extra: { from: 'sparkify@example.test', starttls: false }, description: null,
  });
  const folder = await dagFolder(t, {
    'alerting.ts': `const d = dag({ id: 'alerting', schedule: null, start: '2018-11-01', defaultArgs: {
  email: ['data-team@example.test', 'oncall@example.test'], retries: 1, retryDelay: '5m',
  onRetryCallback: (ctx, e) => ctx.log('on_retry in pid ' + process.pid + ' try ' + ctx.tryNumber + ': ' + e.message),
  onFailureCallback: (ctx, e) => ctx.log('on_failure in pid ' + process.pid + ' try ' + ctx.tryNumber + ': ' + e.message),
} });
new op.Throw(d, 'boom', { message: 'the source bucket is gone' });
new op.Succeed(d, 'fine', { value: 1, onSuccessCallback: (ctx) => ctx.log('on_success of ' + ctx.taskId), emailOnFailure: false });
new op.Succeed(d, 'cb_breaks', { value: 2, onSuccessCallback: () => { throw new Error('callback bug'); } });
export default d;`,
  });
  const version = await versionOf(folder, 'alerting.ts');
  assert.deepEqual(version.dag.tasks.find((x) => x.id === 'boom')?.email, { to: ['data-team@example.test', 'oncall@example.test'], onFailure: true, onRetry: true });
  await queueRun(engine, version, 'manual__1');
  const clock = new TestClock('2026-12-08T10:00:00Z');
  const { finished } = testExecutor(t, engine, folder, { clock, alerts: { smtpConnId: 'smtp_default', baseUrl: 'https://airflow.example.test/' } });
  const first = await finished(3);
  assert.deepEqual(first.map((f) => [f.claim.taskId, f.outcome.state]).sort(), [['boom', 'up_for_retry'], ['cb_breaks', 'success'], ['fine', 'success']],
    "a callback's own error does not fail its task");

  const [retry] = await smtp.next(1);
  assert.equal(retry?.user, 'alerts', 'sent with the connection\'s login');
  assert.equal(retry?.from, 'sparkify@example.test');
  assert.deepEqual(retry?.rcptTo, ['data-team@example.test', 'oncall@example.test']);
  assert.equal(retry?.subject, 'Sparkify alert: alerting.boom try 1 of 2 up for retry (run manual__1)');
  for (const line of ['DAG: alerting', 'Task: boom', 'Run: manual__1', 'Try: 1 of 2', 'State: up_for_retry', 'Error: SPK_E_TASK_FAILED: the source bucket is gone',
    'Log: https://airflow.example.test/dags/alerting/runs/manual__1/tasks/boom/logs/1']) {
    assert.ok(retry?.body.includes(line), `the body has ${line}:\n${retry?.body}`);
  }
  assert.ok(!retry?.headers.includes(smtp.login.pass) && !retry?.body.includes(smtp.login.pass));

  const log1 = await logOf(engine, key('boom'), 1);
  const pid = /on_retry in pid (\d+) try 1: the source bucket is gone/.exec(log1)?.[1];
  assert.ok(pid !== undefined && Number(pid) !== process.pid, `the retry callback ran in the task's process:\n${log1}`);
  assert.ok(!log1.includes('on_failure'), 'a try with tries left is a retry, not a failure');
  assert.match(log1, /\[runner\] alert emailed to data-team@example.test, oncall@example.test/);
  assert.match(await logOf(engine, key('fine'), 1), /\[task\] on_success of fine/);
  assert.match(await logOf(engine, key('cb_breaks'), 1), /onSuccess callback failed: Error: callback bug/);

  clock.advance(300_000);
  await queue(engine, key('boom'), ['up_for_retry']);
  const all = await finished(4);
  assert.equal(all[3]?.outcome.state, 'failed');
  const [, failure] = await smtp.next(2);
  assert.equal(failure?.subject, 'Sparkify alert: alerting.boom try 2 of 2 failed (run manual__1)');
  assert.ok(failure?.body.includes('Log: https://airflow.example.test/dags/alerting/runs/manual__1/tasks/boom/logs/2'), failure?.body);
  assert.match(await logOf(engine, key('boom'), 2), /\[task\] on_failure in pid \d+ try 2: the source bucket is gone/);
  assert.equal(smtp.received.length, 2, 'successes send nothing');
});

test('an SMTP server refusing the login: the try keeps its outcome, its log says why, without the password', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const smtp = await smtpServer(t);
  await putConnection(engine, testBox, {
    connId: 'mail', connType: 'smtp', host: '127.0.0.1', port: smtp.port, login: 'alerts', password: 'wrong-password-123', schema: null,
    extra: { from: 'sparkify@example.test', starttls: false }, description: null,
  });
  const folder = await dagFolder(t, {
    'nomail.ts': `const d = dag({ id: 'nomail', schedule: null, start: '2018-11-01' });
new op.Throw(d, 'boom', { message: 'broken', email: 'oncall@example.test' });
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'nomail.ts'), 'manual__1');
  const { finished } = testExecutor(t, engine, folder, { alerts: { smtpConnId: 'mail', baseUrl: 'http://127.0.0.1:8080' } });
  const [done] = await finished(1);
  assert.equal(done?.outcome.state, 'failed');
  const log = await logOf(engine, { dagId: 'nomail', runId: 'manual__1', taskId: 'boom' }, 1);
  assert.match(log, /\[runner\] the alert email could not be sent: SPK_E_CONNECTION: could not send mail through smtp alerts@127\.0\.0\.1:\d+: .*Invalid/);
  assert.ok(!log.includes('wrong-password-123'));
  assert.equal(smtp.received.length, 0);
});
