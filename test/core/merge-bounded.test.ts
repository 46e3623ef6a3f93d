import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeBounded } from '../../src/core/merge-bounded.ts';
import { collect } from '../support/collect.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('every item of every producer, with at most `limit` producers running', async () => {
  let running = 0;
  let peak = 0;
  const out = await collect(mergeBounded([1, 2, 3, 4, 5, 6], 2, async function* (n) {
    running++;
    peak = Math.max(peak, running);
    for (let i = 0; i < 3; i++) {
      await tick();
      yield n * 10 + i;
    }
    running--;
  }));
  assert.equal(peak, 2);
  assert.deepEqual(out.sort((a, b) => a - b), [10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52, 60, 61, 62]);
});

test('producers wait while the buffer is full', async () => {
  let produced = 0;
  const merged = mergeBounded([0], 1, async function* () {
    for (let i = 0; i < 100; i++) {
      produced++;
      yield i;
    }
  }, 4);
  const first = await merged.next();
  await tick();
  await tick();
  assert.equal(first.value, 0);
  assert.ok(produced <= 6, `produced ${produced} ahead of a consumer that took one`);
  await merged.return(undefined);
});

test('the first failure ends the merge with that error, and the others stop', async () => {
  let after = 0;
  await assert.rejects(collect(mergeBounded([1, 2, 3], 3, async function* (n) {
    await tick();
    if (n === 2) throw new Error('object 2 is unreadable');
    for (let i = 0; i < 1000; i++) {
      await tick();
      after++;
      yield i;
    }
  })), /object 2 is unreadable/);
  const stoppedAt = after;
  await tick();
  await tick();
  assert.ok(after <= stoppedAt + 2);
});
