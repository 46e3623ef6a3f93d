import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueTries, isRetried, nextTryAt } from '../../../src/orchestrator/scheduler/retry.ts';
import type { TaskState } from '../../../src/orchestrator/states.ts';

const failedAt = new Date('2018-11-01T01:10:00Z');
const failure = (tryNumber: number) => ({ dagId: 'sparkify', taskId: 'Stage_events', logicalDate: new Date('2018-11-01T00:00:00Z'), tryNumber, failedAt });
const delayS = (at: Date) => (at.getTime() - failedAt.getTime()) / 1000;

test('a failure is retried while try_number < max_tries (retries 3: tries 1-3 retried, the 4th fails)', () => {
  assert.deepEqual([1, 2, 3, 4].map((t) => isRetried(t, 4)), [true, true, true, false]);
  assert.equal(isRetried(1, 1), false, 'no retries');
});

test('without backoff the next try is retryDelay after the failure', () => {
  const task = { retryDelayMs: 300_000, retryExponentialBackoff: false, maxRetryDelayMs: null };
  assert.deepEqual([1, 2, 3].map((t) => delayS(nextTryAt(task, failure(t)))), [300, 300, 300]);
});

test('exponential backoff: between delay·2^(try-1) and twice that, deterministic per task instance and try, capped', () => {
  const task = { retryDelayMs: 300_000, retryExponentialBackoff: true, maxRetryDelayMs: null };
  for (const t of [1, 2, 3, 4]) {
    const base = 300 * 2 ** (t - 1);
    const delay = delayS(nextTryAt(task, failure(t)));
    assert.ok(delay >= base && delay < 2 * base, `try ${t}: ${delay}s in [${base}, ${2 * base})`);
    assert.equal(Number.isInteger(delay), true, 'whole seconds, as Airflow');
    assert.equal(delayS(nextTryAt(task, failure(t))), delay, 'the same try, the same delay');
  }
  const other = { ...failure(3), taskId: 'Stage_songs' };
  const delays = new Set([nextTryAt(task, failure(3)), nextTryAt(task, other)].map(delayS));
  assert.equal(delays.size, 2, 'two tasks failing together retry at different moments');
  assert.equal(delayS(nextTryAt({ ...task, maxRetryDelayMs: 600_000 }, failure(4))), 600, "the task's maxRetryDelay caps it");
  assert.equal(delayS(nextTryAt(task, failure(40))), 86_400, 'never more than a day');
  assert.ok(delayS(nextTryAt({ ...task, retryDelayMs: 0 }, failure(1))) >= 1, 'a zero delay still backs off a second');
});

test("the jitter is Airflow's: SHA-1 of dag#task#logical date#try, modulo the base", () => {
  // Python, Airflow's formula: ceil(300 * 2**1) = 600; 600 + int(sha1(f"sparkify#Stage_events#{logical_date}#2"), 16) % 600
  // with str(logical_date) = "2018-11-01 00:00:00+00:00" gives 935.
  const task = { retryDelayMs: 300_000, retryExponentialBackoff: true, maxRetryDelayMs: null };
  assert.equal(delayS(nextTryAt(task, failure(2))), 935);
});

test('retries and reschedules are due once next_try_at has come', () => {
  const now = new Date('2018-11-01T02:00:00Z');
  const tis: { id: string; state: TaskState; nextTryAt: Date | null }[] = [
    { id: 'due', state: 'up_for_retry', nextTryAt: new Date('2018-11-01T02:00:00Z') },
    { id: 'later', state: 'up_for_retry', nextTryAt: new Date('2018-11-01T02:00:00.001Z') },
    { id: 'sensor', state: 'up_for_reschedule', nextTryAt: new Date('2018-11-01T01:59:00Z') },
    { id: 'done', state: 'failed', nextTryAt: new Date('2018-11-01T01:00:00Z') },
  ];
  assert.deepEqual(dueTries(tis, now).map((t) => t.id), ['due', 'sensor']);
});
