import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock, TestClock } from '../../src/core/clock.ts';

test('the test clock moves only when told, never backwards', () => {
  const clock = new TestClock('2018-11-01T00:00:00Z');
  assert.equal(clock.now().toISOString(), '2018-11-01T00:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2018-11-01T00:00:00.000Z', 'reading it does not move it');
  assert.equal(clock.advance(3_600_000).toISOString(), '2018-11-01T01:00:00.000Z');
  clock.now().setTime(0);
  assert.equal(clock.now().toISOString(), '2018-11-01T01:00:00.000Z', 'a caller mutating its Date does not move the clock');
  assert.equal(clock.set('2018-11-02T00:00:00Z').toISOString(), '2018-11-02T00:00:00.000Z');
  assert.throws(() => clock.advance(-1), RangeError);
  assert.throws(() => clock.set('2018-11-01T00:00:00Z'), RangeError);
  assert.throws(() => new TestClock('not a date'), RangeError);
});

test('the system clock reads the real time', () => {
  const before = Date.now();
  const t = systemClock.now().getTime();
  assert.ok(t >= before && t <= Date.now());
});
