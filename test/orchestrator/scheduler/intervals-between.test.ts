import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intervalsBetween } from '../../../src/orchestrator/scheduler/intervals-between.ts';
import { manualRunInterval, scheduledRunAt } from '../../../src/orchestrator/scheduler/manual-run-interval.ts';
import { timetableDag } from './dag-fixture.ts';

const d = (s: string) => new Date(s);
const starts = (runs: { logicalDate: Date }[]) => runs.map((r) => r.logicalDate.toISOString());

test('backfill: logical dates from --from-date to --to-date, both inclusive; from rounded up to the schedule', () => {
  const dag = timetableDag();
  const day = intervalsBetween(dag, d('2018-11-05T00:00:00Z'), d('2018-11-05T23:00:00Z'));
  assert.equal(day.length, 24);
  assert.equal(day[0]?.logicalDate.toISOString(), '2018-11-05T00:00:00.000Z');
  assert.equal(day[23]?.dataIntervalEnd.toISOString(), '2018-11-06T00:00:00.000Z', 'the last interval may end after to');
  assert.deepEqual(starts(intervalsBetween(dag, d('2018-11-05T00:30:00Z'), d('2018-11-05T03:00:00Z'))), [
    '2018-11-05T01:00:00.000Z',
    '2018-11-05T02:00:00.000Z',
    '2018-11-05T03:00:00.000Z',
  ]);
  assert.deepEqual(starts(intervalsBetween(dag, d('2018-11-05T00:00:00Z'), d('2018-11-05T00:00:00Z'))), ['2018-11-05T00:00:00.000Z'], 'a one-instant range');
});

test('backfill is clipped to the DAG start and end, and with now only ended intervals are included', () => {
  const dag = timetableDag({ end: '2018-11-01T02:00:00Z' });
  assert.deepEqual(starts(intervalsBetween(dag, d('2018-10-31T22:00:00Z'), d('2018-11-02T00:00:00Z'))), [
    '2018-11-01T00:00:00.000Z',
    '2018-11-01T01:00:00.000Z',
    '2018-11-01T02:00:00.000Z',
  ]);
  const open = timetableDag();
  assert.equal(intervalsBetween(open, d('2018-11-01T00:00:00Z'), d('2018-11-01T05:00:00Z'), { now: d('2018-11-01T03:00:00Z') }).length, 2, 'the 02:00 interval ends at now: not before it');
});

test('backfill: a reversed range or one over the limit is refused; none has no runs; @once its one', () => {
  const dag = timetableDag();
  assert.throws(() => intervalsBetween(dag, d('2018-11-05T00:00:00Z'), d('2018-11-04T00:00:00Z')), /SPK_E_CONFIG/);
  assert.throws(() => intervalsBetween(dag, d('2018-11-01T00:00:00Z'), d('2028-11-01T00:00:00Z'), { limit: 1000 }), /more than 1000 runs/);
  assert.deepEqual(intervalsBetween(timetableDag({ schedule: { kind: 'none' } }), d('2018-11-01T00:00:00Z'), d('2019-01-01T00:00:00Z')), []);
  const once = timetableDag({ schedule: { kind: 'once' } });
  assert.deepEqual(starts(intervalsBetween(once, d('2018-10-01T00:00:00Z'), d('2019-01-01T00:00:00Z'))), ['2018-11-01T00:00:00.000Z']);
  assert.deepEqual(intervalsBetween(once, d('2018-12-01T00:00:00Z'), d('2019-01-01T00:00:00Z')), []);
});

test('backfill of a Berlin daily DAG across spring-forward: one run per local day, the short day included', () => {
  const dag = timetableDag({ schedule: { kind: 'cron', expression: '@daily' }, timezone: 'Europe/Berlin', start: '2024-01-01T00:00:00Z' });
  const runs = intervalsBetween(dag, d('2024-03-29T23:00:00Z'), d('2024-04-01T22:00:00Z'));
  // to (2 April, local midnight) is a tick: included, as --to-date is.
  assert.deepEqual(starts(runs), ['2024-03-29T23:00:00.000Z', '2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z', '2024-04-01T22:00:00.000Z']);
  assert.deepEqual(runs.map((r) => (r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime()) / 3_600_000), [24, 23, 24, 24]);
});

test('manual trigger with a logical date: the last whole period ending at it, as Airflow infers it; the logical date kept', () => {
  const hourly = timetableDag();
  const at = manualRunInterval(hourly, d('2018-11-05T05:00:00Z'));
  assert.equal(at.logicalDate.toISOString(), '2018-11-05T05:00:00.000Z');
  assert.deepEqual([at.dataIntervalStart.toISOString(), at.dataIntervalEnd.toISOString()], ['2018-11-05T04:00:00.000Z', '2018-11-05T05:00:00.000Z']);
  const between = manualRunInterval(hourly, d('2018-11-05T05:20:00Z'));
  assert.deepEqual([between.dataIntervalStart.toISOString(), between.dataIntervalEnd.toISOString()], ['2018-11-05T04:00:00.000Z', '2018-11-05T05:00:00.000Z']);
  assert.ok(between.runAfter <= between.logicalDate, 'a manual run can start at once');
  const every = manualRunInterval(timetableDag({ schedule: { kind: 'interval', everyMs: 600_000 } }), d('2018-11-05T05:03:00Z'));
  assert.deepEqual([every.dataIntervalStart.toISOString(), every.dataIntervalEnd.toISOString()], ['2018-11-05T04:53:00.000Z', '2018-11-05T05:03:00.000Z']);
  const none = manualRunInterval(timetableDag({ schedule: { kind: 'none' } }), d('2018-11-05T05:03:00Z'));
  assert.deepEqual([none.dataIntervalStart.toISOString(), none.dataIntervalEnd.toISOString()], ['2018-11-05T05:03:00.000Z', '2018-11-05T05:03:00.000Z']);
});

test('scheduledRunAt: the interval the scheduled run of that logical date covers (dags test --date)', () => {
  const hourly = timetableDag();
  const run = scheduledRunAt(hourly, d('2018-11-05T05:20:00Z'));
  assert.deepEqual([run.logicalDate.toISOString(), run.dataIntervalEnd.toISOString()], ['2018-11-05T05:00:00.000Z', '2018-11-05T06:00:00.000Z']);
  const berlin = timetableDag({ schedule: { kind: 'cron', expression: '@daily' }, timezone: 'Europe/Berlin' });
  const day = scheduledRunAt(berlin, d('2024-03-31T12:00:00Z'));
  assert.deepEqual([day.dataIntervalStart.toISOString(), day.dataIntervalEnd.toISOString()], ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
});
