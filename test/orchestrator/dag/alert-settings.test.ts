import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dag, serializeDag } from '../../../src/orchestrator/dag/index.ts';
import { Succeed } from '../runner/fixtures/test-operators.ts';

test('deadlines, DAG-run callbacks and emails are serialised only when set; callbacks stay functions on the DAG and task', () => {
  const plain = dag({ id: 'plain', schedule: null, start: '2018-11-01' });
  new Succeed(plain, 'a', { value: 1 });
  const json = serializeDag(plain).json;
  for (const key of ['deadline', 'callbacks', 'email']) assert.ok(!json.includes(`"${key}"`), `no ${key} key: a DAG without alerts keeps its version`);

  const onMiss = () => undefined;
  const d = dag({
    id: 'alerting', schedule: '@hourly', start: '2018-11-01', deadline: { reference: 'dataIntervalEnd', interval: '2h', email: 'a@example.test', onMiss },
    onFailureCallback: () => undefined, defaultArgs: { email: ['x@example.test', 'x@example.test'], emailOnRetry: false },
  });
  const t = new Succeed(d, 't', { value: 1, deadline: { reference: 'queuedAt', interval: '30m' }, onRetryCallback: () => undefined });
  const s = serializeDag(d).dag;
  assert.deepEqual(s.deadline, { reference: 'dataIntervalEnd', intervalMs: 7_200_000, email: ['a@example.test'], callback: true });
  assert.deepEqual(s.callbacks, { onSuccess: false, onFailure: true });
  assert.deepEqual(s.tasks[0]?.deadline, { reference: 'queuedAt', intervalMs: 1_800_000, email: [], callback: false });
  assert.deepEqual(s.tasks[0]?.email, { to: ['x@example.test'], onFailure: true, onRetry: false });
  assert.deepEqual(s.tasks[0]?.params, { value: 1 }, 'callbacks and alert settings are not operator params');
  assert.equal(d.callbacks.onDeadlineMiss, onMiss);
  assert.equal(typeof t.settings.callbacks.onRetry, 'function');
});

test('bad alert settings are DAG errors naming the field', () => {
  assert.throws(() => dag({ id: 'b1', schedule: null, start: '2018-11-01', deadline: { reference: 'startDate' as 'queuedAt', interval: '1h' } }), { code: 'SPK_E_DAG_INVALID', message: /deadline\.reference must be one of dataIntervalEnd, queuedAt, logicalDate/ });
  const d = dag({ id: 'b2', schedule: null, start: '2018-11-01' });
  assert.throws(() => new Succeed(d, 'x', { value: 1, deadline: { reference: 'logicalDate', interval: '1h' } }), { message: /deadline\.reference must be one of queuedAt, dataIntervalEnd/ });
  assert.throws(() => new Succeed(d, 'y', { value: 1, email: 'not an address' }), { message: /email must be an address or a list of addresses/ });
  assert.throws(() => new Succeed(d, 'z', { value: 1, onFailureCallback: 'notify' as never }), { message: /onFailureCallback must be a function/ });
  assert.throws(() => dag({ id: 'b3', schedule: null, start: '2018-11-01', deadline: { reference: 'queuedAt', interval: 'soon' as '1h' } }), { message: /deadline\.interval/ });
});
