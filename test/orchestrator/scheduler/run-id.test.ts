import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runId } from '../../../src/orchestrator/scheduler/run-id.ts';
import { templateDates } from '../../../src/orchestrator/scheduler/template-dates.ts';

test('run ids are Airflow\'s: <type>__<isoformat of the logical date>', () => {
  const t = new Date('2018-11-01T00:00:00Z');
  assert.equal(runId('scheduled', t), 'scheduled__2018-11-01T00:00:00+00:00');
  assert.equal(runId('manual', t), 'manual__2018-11-01T00:00:00+00:00');
  assert.equal(runId('backfill', new Date('2018-11-30T23:00:00Z')), 'backfill__2018-11-30T23:00:00+00:00');
  assert.equal(runId('manual', new Date('2018-11-01T05:06:07.25Z')), 'manual__2018-11-01T05:06:07.250000+00:00', 'microseconds, as Python writes them');
});

test('template dates are formatted as Airflow formats them, in UTC', () => {
  const dates = templateDates({
    logicalDate: new Date('2018-11-01T05:00:00Z'),
    dataIntervalStart: new Date('2018-11-01T05:00:00Z'),
    dataIntervalEnd: new Date('2018-11-01T06:00:00Z'),
  });
  assert.deepEqual(dates, {
    ds: '2018-11-01',
    ds_nodash: '20181101',
    ts: '2018-11-01T05:00:00+00:00',
    ts_nodash: '20181101T050000',
    ts_nodash_with_tz: '20181101T050000+0000',
    logical_date: '2018-11-01T05:00:00+00:00',
    data_interval_start: '2018-11-01T05:00:00+00:00',
    data_interval_end: '2018-11-01T06:00:00+00:00',
  });
});

test('a Berlin midnight run has the UTC date: ds is the day before, as in Airflow', () => {
  const start = new Date('2024-03-30T23:00:00Z');
  const dates = templateDates({ logicalDate: start, dataIntervalStart: start, dataIntervalEnd: new Date('2024-03-31T22:00:00Z') });
  assert.equal(dates.ds, '2024-03-30');
  assert.equal(dates.ts, '2024-03-30T23:00:00+00:00');
  assert.equal(dates.data_interval_end, '2024-03-31T22:00:00+00:00');
});
