import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { dueScheduledRuns, nextScheduledRun } from '../../../src/orchestrator/scheduler/next-scheduled-run.ts';
import { timetableDag } from './dag-fixture.ts';

const d = (s: string) => new Date(s);
const interval = (r: { dataIntervalStart: Date; dataIntervalEnd: Date } | undefined) =>
  r === undefined ? undefined : [r.dataIntervalStart.toISOString(), r.dataIntervalEnd.toISOString()];

test("Sparkify's DAG (hourly from 2018-11-01T00:00Z, catchup): 720 intervals in November 2018, each an exact hour, in order", () => {
  const dag = timetableDag();
  const runs = dueScheduledRuns(dag, undefined, d('2018-12-01T00:00:00Z'), 10_000);
  assert.equal(runs.length, 720);
  assert.deepEqual(interval(runs[0]), ['2018-11-01T00:00:00.000Z', '2018-11-01T01:00:00.000Z']);
  assert.deepEqual(interval(runs[719]), ['2018-11-30T23:00:00.000Z', '2018-12-01T00:00:00.000Z']);
  runs.forEach((r, i) => {
    assert.equal(r.dataIntervalStart.getTime(), Date.UTC(2018, 10, 1) + i * 3_600_000);
    assert.equal(r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime(), 3_600_000);
    assert.equal(r.logicalDate.getTime(), r.dataIntervalStart.getTime(), 'the logical date is the interval start');
    assert.equal(r.runAfter.getTime(), r.dataIntervalEnd.getTime(), 'it runs once the interval has ended');
  });
});

test('a run is due only once its interval has ended: the clock moves, the next run appears', () => {
  const dag = timetableDag();
  const clock = new TestClock('2018-11-01T00:59:59.999Z');
  assert.deepEqual(dueScheduledRuns(dag, undefined, clock.now()), []);
  const next = nextScheduledRun(dag, undefined, clock.now());
  assert.deepEqual(interval(next), ['2018-11-01T00:00:00.000Z', '2018-11-01T01:00:00.000Z'], 'known before it is due');
  clock.advance(1);
  const [first, ...rest] = dueScheduledRuns(dag, undefined, clock.now());
  assert.deepEqual(interval(first), ['2018-11-01T00:00:00.000Z', '2018-11-01T01:00:00.000Z']);
  assert.equal(rest.length, 0);
  clock.advance(3_600_000);
  assert.deepEqual(dueScheduledRuns(dag, first, clock.now()).map(interval), [['2018-11-01T01:00:00.000Z', '2018-11-01T02:00:00.000Z']]);
});

test('dueScheduledRuns stops at its limit and resumes from the last run it gave', () => {
  const dag = timetableDag();
  const now = d('2018-12-01T00:00:00Z');
  const firstBatch = dueScheduledRuns(dag, undefined, now, 500);
  assert.equal(firstBatch.length, 500);
  const second = dueScheduledRuns(dag, firstBatch.at(-1), now, 500);
  assert.equal(second.length, 220);
  assert.equal(second[0]?.dataIntervalStart.toISOString(), '2018-11-21T20:00:00.000Z');
});

test('catchup off: only the latest complete interval, then on from there (Airflow _skip_to_latest)', () => {
  const dag = timetableDag({ catchup: false });
  const between = d('2018-11-15T10:30:00Z');
  assert.deepEqual(interval(nextScheduledRun(dag, undefined, between)), ['2018-11-15T09:00:00.000Z', '2018-11-15T10:00:00.000Z']);
  const onTick = d('2018-11-15T10:00:00Z');
  assert.deepEqual(interval(nextScheduledRun(dag, undefined, onTick)), ['2018-11-15T09:00:00.000Z', '2018-11-15T10:00:00.000Z']);
  assert.equal(dueScheduledRuns(dag, undefined, between).length, 1, 'one run, not the 2 weeks before');
  // The scheduler was down for 5 hours after the 09:00 run: it skips to the latest again.
  const last = { dataIntervalStart: d('2018-11-15T09:00:00Z'), dataIntervalEnd: d('2018-11-15T10:00:00Z') };
  assert.deepEqual(dueScheduledRuns(dag, last, d('2018-11-15T15:10:00Z')).map(interval), [['2018-11-15T14:00:00.000Z', '2018-11-15T15:00:00.000Z']]);
  // Up to date: the next is the following interval, not due yet.
  const upToDate = { dataIntervalStart: d('2018-11-15T14:00:00Z'), dataIntervalEnd: d('2018-11-15T15:00:00Z') };
  assert.deepEqual(interval(nextScheduledRun(dag, upToDate, d('2018-11-15T15:10:00Z'))), ['2018-11-15T15:00:00.000Z', '2018-11-15T16:00:00.000Z']);
});

test('catchup off with a start in the future: the first interval after start', () => {
  const dag = timetableDag({ catchup: false, start: '2019-01-01T00:30:00Z' });
  assert.deepEqual(interval(nextScheduledRun(dag, undefined, d('2018-11-15T10:30:00Z'))), ['2019-01-01T01:00:00.000Z', '2019-01-01T02:00:00.000Z']);
});

test('a start between ticks: the first interval is the first whole one after it', () => {
  const dag = timetableDag({ start: '2018-11-01T00:20:00Z' });
  assert.deepEqual(interval(nextScheduledRun(dag, undefined, d('2018-11-02T00:00:00Z'))), ['2018-11-01T01:00:00.000Z', '2018-11-01T02:00:00.000Z']);
});

test('end: the last run is the one whose logical date is at or before end', () => {
  const dag = timetableDag({ end: '2018-11-01T02:00:00Z' });
  const runs = dueScheduledRuns(dag, undefined, d('2018-12-01T00:00:00Z'));
  assert.deepEqual(runs.map((r) => r.logicalDate.toISOString()), ['2018-11-01T00:00:00.000Z', '2018-11-01T01:00:00.000Z', '2018-11-01T02:00:00.000Z']);
  assert.equal(nextScheduledRun(dag, runs[2], d('2018-12-01T00:00:00Z')), undefined);
});

test('@once: one run, [start, start], due at start, catchup or not; none: no scheduled runs', () => {
  for (const catchup of [true, false]) {
    const dag = timetableDag({ schedule: { kind: 'once' }, start: '2018-11-01T05:00:00Z', catchup });
    assert.deepEqual(dueScheduledRuns(dag, undefined, d('2018-11-01T04:59:59Z')), []);
    const [run, ...more] = dueScheduledRuns(dag, undefined, d('2019-06-01T00:00:00Z'));
    assert.deepEqual(interval(run), ['2018-11-01T05:00:00.000Z', '2018-11-01T05:00:00.000Z']);
    assert.equal(more.length, 0);
    assert.equal(nextScheduledRun(dag, run, d('2019-06-01T00:00:00Z')), undefined);
  }
  assert.equal(nextScheduledRun(timetableDag({ schedule: { kind: 'none' } }), undefined, d('2019-01-01T00:00:00Z')), undefined);
});

test('fixed intervals are anchored at start, with catchup on and off', () => {
  const every90 = { kind: 'interval', everyMs: 90 * 60_000 } as const;
  const on = timetableDag({ schedule: every90, start: '2018-11-01T00:10:00Z' });
  assert.deepEqual(dueScheduledRuns(on, undefined, d('2018-11-01T04:00:00Z')).map(interval), [
    ['2018-11-01T00:10:00.000Z', '2018-11-01T01:40:00.000Z'],
    ['2018-11-01T01:40:00.000Z', '2018-11-01T03:10:00.000Z'],
  ]);
  const off = { ...on, catchup: false };
  assert.deepEqual(interval(nextScheduledRun(off, undefined, d('2018-11-02T00:00:00Z'))), ['2018-11-01T21:10:00.000Z', '2018-11-01T22:40:00.000Z']);
});

test('presets are the cron expressions Airflow maps them to', () => {
  const at = d('2024-05-15T10:30:00Z');
  const next = (expression: string) => nextScheduledRun(timetableDag({ schedule: { kind: 'cron', expression }, start: '2024-01-01T00:00:00Z', catchup: false }), undefined, at);
  assert.deepEqual(interval(next('@daily')), ['2024-05-14T00:00:00.000Z', '2024-05-15T00:00:00.000Z']);
  assert.deepEqual(interval(next('@weekly')), ['2024-05-05T00:00:00.000Z', '2024-05-12T00:00:00.000Z'], 'Sunday midnight');
  assert.deepEqual(interval(next('@monthly')), ['2024-04-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z']);
  assert.deepEqual(interval(next('@yearly')), ['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'], 'never before start, even if not due yet');
  const yearly = timetableDag({ schedule: { kind: 'cron', expression: '@yearly' }, start: '2020-01-01T00:00:00Z', catchup: false });
  assert.deepEqual(interval(nextScheduledRun(yearly, undefined, at)), ['2023-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
});

test('a bad cron expression or time zone is SPK_E_DAG_INVALID', () => {
  assert.throws(() => nextScheduledRun(timetableDag({ schedule: { kind: 'cron', expression: '0 2 * *' } }), undefined, d('2019-01-01T00:00:00Z')), /SPK_E_DAG_INVALID.*bad cron/);
  assert.throws(() => nextScheduledRun(timetableDag({ schedule: { kind: 'cron', expression: '0 0 2 * * *' } }), undefined, d('2019-01-01T00:00:00Z')), /SPK_E_DAG_INVALID/);
  assert.throws(() => nextScheduledRun(timetableDag({ timezone: 'Mars/Olympus' }), undefined, d('2019-01-01T00:00:00Z')), /SPK_E_DAG_INVALID.*time zone/);
});
