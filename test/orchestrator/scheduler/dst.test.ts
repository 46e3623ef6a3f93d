import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunInterval } from '../../../src/orchestrator/scheduler/run-interval.ts';
import { intervalsBetween } from '../../../src/orchestrator/scheduler/intervals-between.ts';
import { dueScheduledRuns } from '../../../src/orchestrator/scheduler/next-scheduled-run.ts';
import { timetableDag } from './dag-fixture.ts';

// 2024: Europe/Berlin springs forward on 31 March (02:00 CET -> 03:00 CEST, at 01:00Z) and falls back on 27 October
// (03:00 CEST -> 02:00 CET, at 01:00Z: 02:00-02:59 happens twice). America/New_York springs forward on 10 March
// (02:00 EST -> 03:00 EDT, at 07:00Z) and falls back on 3 November (02:00 EDT -> 01:00 EST, at 06:00Z: 01:00-01:59 twice).

const hours = (r: RunInterval) => (r.dataIntervalEnd.getTime() - r.dataIntervalStart.getTime()) / 3_600_000;
const pairs = (runs: RunInterval[]) => runs.map((r) => [r.dataIntervalStart.toISOString(), r.dataIntervalEnd.toISOString()]);

function runsFrom(expression: string, timezone: string, start: string, count: number): RunInterval[] {
  const dag = timetableDag({ schedule: { kind: 'cron', expression }, timezone, start });
  return dueScheduledRuns(dag, undefined, new Date('2030-01-01T00:00:00Z'), count);
}

test('@daily at local midnight: the spring-forward day is 23 hours long, the fall-back day 25 (Berlin)', () => {
  const spring = runsFrom('@daily', 'Europe/Berlin', '2024-03-29T23:00:00Z', 3);
  assert.deepEqual(pairs(spring), [
    ['2024-03-29T23:00:00.000Z', '2024-03-30T23:00:00.000Z'],
    ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
    ['2024-03-31T22:00:00.000Z', '2024-04-01T22:00:00.000Z'],
  ]);
  assert.deepEqual(spring.map(hours), [24, 23, 24]);
  const fall = runsFrom('@daily', 'Europe/Berlin', '2024-10-25T22:00:00Z', 3);
  assert.deepEqual(pairs(fall), [
    ['2024-10-25T22:00:00.000Z', '2024-10-26T22:00:00.000Z'],
    ['2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z'],
    ['2024-10-27T23:00:00.000Z', '2024-10-28T23:00:00.000Z'],
  ]);
  assert.deepEqual(fall.map(hours), [24, 25, 24]);
});

test('@daily at local midnight in New York: 23 hours on 10 March, 25 on 3 November', () => {
  const spring = runsFrom('@daily', 'America/New_York', '2024-03-09T05:00:00Z', 2);
  assert.deepEqual(pairs(spring), [
    ['2024-03-09T05:00:00.000Z', '2024-03-10T05:00:00.000Z'],
    ['2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z'],
  ]);
  const fall = runsFrom('@daily', 'America/New_York', '2024-11-02T04:00:00Z', 2);
  assert.deepEqual(pairs(fall), [
    ['2024-11-02T04:00:00.000Z', '2024-11-03T04:00:00.000Z'],
    ['2024-11-03T04:00:00.000Z', '2024-11-04T05:00:00.000Z'],
  ]);
  assert.deepEqual([...spring, ...fall].map(hours), [24, 23, 24, 25]);
});

test('0 2 * * * in Berlin: on spring-forward it runs at 03:00 CEST (the first instant after the gap); on fall-back once, at the first 02:00 (CEST)', () => {
  const spring = runsFrom('0 2 * * *', 'Europe/Berlin', '2024-03-29T01:00:00Z', 3);
  assert.deepEqual(pairs(spring), [
    ['2024-03-29T01:00:00.000Z', '2024-03-30T01:00:00.000Z'], // 02:00 CET .. 02:00 CET
    ['2024-03-30T01:00:00.000Z', '2024-03-31T01:00:00.000Z'], // .. 03:00 CEST: 02:00 does not exist that day
    ['2024-03-31T01:00:00.000Z', '2024-04-01T00:00:00.000Z'], // .. 02:00 CEST
  ]);
  assert.deepEqual(spring.map(hours), [24, 24, 23]);
  const fall = runsFrom('0 2 * * *', 'Europe/Berlin', '2024-10-26T00:00:00Z', 3);
  assert.deepEqual(pairs(fall), [
    ['2024-10-26T00:00:00.000Z', '2024-10-27T00:00:00.000Z'], // 02:00 CEST .. the first 02:00 (CEST)
    ['2024-10-27T00:00:00.000Z', '2024-10-28T01:00:00.000Z'], // .. 02:00 CET: the second 02:00 is not a run
    ['2024-10-28T01:00:00.000Z', '2024-10-29T01:00:00.000Z'],
  ]);
  assert.deepEqual(fall.map(hours), [24, 25, 24]);
});

test('0 2 * * * in New York: 03:00 EDT on 10 March; on 3 November 02:00 happens once (01:xx repeats), and 30 1 * * * runs at the first 01:30', () => {
  const spring = runsFrom('0 2 * * *', 'America/New_York', '2024-03-09T07:00:00Z', 2);
  assert.deepEqual(pairs(spring), [
    ['2024-03-09T07:00:00.000Z', '2024-03-10T07:00:00.000Z'], // 02:00 EST .. 03:00 EDT
    ['2024-03-10T07:00:00.000Z', '2024-03-11T06:00:00.000Z'], // .. 02:00 EDT
  ]);
  const fall = runsFrom('0 2 * * *', 'America/New_York', '2024-11-02T06:00:00Z', 1);
  assert.deepEqual(pairs(fall), [['2024-11-02T06:00:00.000Z', '2024-11-03T07:00:00.000Z']]);
  const repeated = runsFrom('30 1 * * *', 'America/New_York', '2024-11-02T05:30:00Z', 2);
  assert.deepEqual(pairs(repeated), [
    ['2024-11-02T05:30:00.000Z', '2024-11-03T05:30:00.000Z'], // .. 01:30 EDT, the first of two
    ['2024-11-03T05:30:00.000Z', '2024-11-04T06:30:00.000Z'], // .. 01:30 EST
  ]);
});

/** The hourly runs whose logical date falls on a local calendar day: [local midnight, next local midnight). */
function hourlyRunsOnLocalDay(timezone: string, dayStartUtc: string, nextDayStartUtc: string): RunInterval[] {
  const dag = timetableDag({ timezone, start: '2024-01-01T00:00:00Z' });
  return intervalsBetween(dag, new Date(dayStartUtc), new Date(new Date(nextDayStartUtc).getTime() - 1));
}

test('@hourly: 24 runs on an ordinary local day, 23 on spring-forward, 25 on fall-back, each one real hour (Berlin and New York)', () => {
  const days: [zone: string, from: string, to: string, runs: number][] = [
    ['Europe/Berlin', '2024-03-29T23:00:00Z', '2024-03-30T23:00:00Z', 24],
    ['Europe/Berlin', '2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 23],
    ['Europe/Berlin', '2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', 25],
    ['America/New_York', '2024-03-10T05:00:00Z', '2024-03-11T04:00:00Z', 23],
    ['America/New_York', '2024-11-03T04:00:00Z', '2024-11-04T05:00:00Z', 25],
    ['America/New_York', '2024-11-04T05:00:00Z', '2024-11-05T05:00:00Z', 24],
  ];
  for (const [zone, from, to, expected] of days) {
    const runs = hourlyRunsOnLocalDay(zone, from, to);
    assert.equal(runs.length, expected, `${zone} ${from}`);
    assert.ok(runs.every((r) => hours(r) === 1), 'every interval is one real hour');
    assert.equal(runs[0]?.dataIntervalStart.toISOString(), new Date(from).toISOString());
    assert.equal(runs.at(-1)?.dataIntervalEnd.toISOString(), new Date(to).toISOString(), 'the day is covered without gap');
  }
});

test('@hourly through the repeated hour in Berlin: 02:00 CEST and 02:00 CET are two runs with different logical dates', () => {
  const runs = hourlyRunsOnLocalDay('Europe/Berlin', '2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z');
  const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' });
  const slice = runs.slice(1, 5);
  assert.deepEqual(slice.map((r) => hourFormat.format(r.logicalDate)), ['01', '02', '02', '03'], 'local hours');
  assert.deepEqual(slice.map((r) => r.logicalDate.toISOString()), ['2024-10-26T23:00:00.000Z', '2024-10-27T00:00:00.000Z', '2024-10-27T01:00:00.000Z', '2024-10-27T02:00:00.000Z']);
});
