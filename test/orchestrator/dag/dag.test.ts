import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BaseOperator, dag, serializeDag, type DagOptions } from '../../../src/orchestrator/dag/index.ts';

class Noop extends BaseOperator {
  execute(): void {}
}

const base = { id: 'd', schedule: '@daily', start: '2024-01-01' } satisfies DagOptions;
const invalid = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: Error & { code?: string }) => e.code === 'SPK_E_DAG_INVALID' && message.test(e.message));

test('schedules: presets as cron, intervals in ms, null and @once', () => {
  const schedule = (s: DagOptions['schedule']) => dag({ ...base, schedule: s }).settings.schedule;
  assert.deepEqual(schedule('@hourly'), { kind: 'cron', expression: '0 * * * *' });
  assert.deepEqual(schedule('@daily'), schedule('0 0 * * *'));
  assert.deepEqual(schedule('@weekly'), { kind: 'cron', expression: '0 0 * * 0' });
  assert.deepEqual(schedule('@monthly'), { kind: 'cron', expression: '0 0 1 * *' });
  assert.deepEqual(schedule('@yearly'), { kind: 'cron', expression: '0 0 1 1 *' });
  assert.deepEqual(schedule('*/15  9-17 * * 1-5'), { kind: 'cron', expression: '*/15 9-17 * * 1-5' });
  assert.deepEqual(schedule('@once'), { kind: 'once' });
  assert.deepEqual(schedule(null), { kind: 'none' });
  assert.deepEqual(schedule({ every: '15m' }), { kind: 'interval', everyMs: 900_000 });
  assert.deepEqual(schedule(90_000), { kind: 'interval', everyMs: 90_000 });
});

test('start and end: wall-clock times in the DAG time zone, instants as they are', () => {
  const d = dag({ ...base, timezone: 'Europe/Berlin', start: '2024-07-01', end: '2024-12-01T06:30' });
  assert.equal(d.settings.start, '2024-06-30T22:00:00.000Z');
  assert.equal(d.settings.end, '2024-12-01T05:30:00.000Z');
  assert.equal(dag({ ...base, start: '2024-07-01T00:00:00+02:00' }).settings.start, '2024-06-30T22:00:00.000Z');
  assert.equal(dag({ ...base, start: new Date(Date.UTC(2024, 0, 2)) }).settings.start, '2024-01-02T00:00:00.000Z');
  assert.equal(dag(base).settings.timezone, 'UTC');
});

test('defaults: Airflow 3 (catchup off, 16 runs and tasks); default args reach every task, a task overrides them', () => {
  const d = dag({ ...base, defaultArgs: { retries: 3, retryDelay: '5m', pool: 'warehouse', executionTimeout: '2h', maxRetryDelay: '1h' } });
  assert.deepEqual([d.settings.catchup, d.settings.maxActiveRuns, d.settings.maxActiveTasks], [false, 16, 16]);
  new Noop(d, 'a');
  new Noop(d, 'b', { retries: 0, triggerRule: 'all_done', priorityWeight: 5, dependsOnPast: true, retryExponentialBackoff: true });
  const [a, b] = serializeDag(d).dag.tasks;
  assert.deepEqual(
    [a?.retries, a?.retryDelayMs, a?.pool, a?.executionTimeoutMs, a?.maxRetryDelayMs, a?.triggerRule, a?.owner, a?.priorityWeight],
    [3, 300_000, 'warehouse', 7_200_000, 3_600_000, 'all_success', 'airflow', 1],
  );
  assert.deepEqual([b?.retries, b?.triggerRule, b?.priorityWeight, b?.dependsOnPast, b?.retryExponentialBackoff, b?.pool], [0, 'all_done', 5, true, true, 'warehouse']);
});

test('each rule broken at load time is an SPK_E_DAG_INVALID naming the DAG and the problem', () => {
  invalid(() => dag({ ...base, schedule: '61 * * * *' }), /DAG 'd': schedule: bad cron expression "61 \* \* \* \*"/);
  invalid(() => dag({ ...base, schedule: 'every hour' }), /bad cron expression "every hour": it needs 5 fields/);
  invalid(() => dag({ ...base, schedule: '0 0 30 2 *' }), /never fires/);
  invalid(() => dag({ ...base, schedule: '@fortnightly' }), /unknown preset "@fortnightly"/);
  invalid(() => dag({ ...base, start: '2024-02-01', end: '2024-01-31' }), /DAG 'd': start 2024-02-01T00:00:00\.000Z is after end 2024-01-31/);
  invalid(() => dag({ ...base, timezone: 'Europe/Atlantis' }), /DAG 'd': unknown time zone "Europe\/Atlantis"/);
  invalid(() => dag({ ...base, start: '2024-02-30' }), /start: 2024-02-30 is not a date/);
  invalid(() => dag({ ...base, id: 'has space' }), /DAG id "has space"/);
  invalid(() => dag({ ...base, maxActiveRuns: 0 }), /maxActiveRuns must be a whole number >= 1/);
  invalid(() => dag({ ...base, defaultArgs: { retryDelay: '5 minutes' as '5m' } }), /retryDelay: "5 minutes" is not a duration/);
  const d = dag(base);
  new Noop(d, 'load');
  invalid(() => new Noop(d, 'load'), /DAG 'd': duplicate task id 'load'/);
  invalid(() => new Noop(d, 'a.b'), /task id "a\.b"/);
  // What untyped JavaScript can get wrong: a misspelt trigger rule, a string where a task belongs.
  invalid(() => new Noop(d, 'x', { triggerRule: 'all_sucess' as 'all_success' }), /task 'x': unknown trigger rule "all_sucess"/);
  invalid(() => new Noop(d, 'y').then('ghost' as unknown as Noop), /a dependency names "ghost", which is not a task/);
  const other = dag({ ...base, id: 'other' });
  invalid(() => new Noop(d, 'z').then(new Noop(other, 'w')), /task 'w' of DAG 'other' cannot depend on task 'z' of DAG 'd'/);
});

test('a cycle is named in run order, with every task on it', () => {
  const d = dag(base);
  const [a, b, c, e] = ['a', 'b', 'c', 'e'].map((id) => new Noop(d, id)) as [Noop, Noop, Noop, Noop];
  e.then(a).then(b).then(c).then(a);
  invalid(() => serializeDag(d), /DAG 'd': a cycle: a → b → c → a/);
  const self = dag({ ...base, id: 'self' });
  const s = new Noop(self, 's');
  s.then(s);
  invalid(() => serializeDag(self), /a cycle: s → s/);
});

test('params and operator settings must be JSON', () => {
  class Holder extends BaseOperator<{ when: string }> {
    execute(): void {}
  }
  const d = dag({ ...base, params: { n: 1 } });
  new Holder(d, 'h', { when: new Date(0) as unknown as string });
  invalid(() => serializeDag(d), /params\.when is a Date object, which is not JSON/);
  const p = dag({ ...base, id: 'p', params: { f: (() => 1) as unknown as number } });
  invalid(() => serializeDag(p), /params\.f is a function/);
});
