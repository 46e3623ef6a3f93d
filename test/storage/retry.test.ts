import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { backoff, defaultRetryPolicy, withRetries } from '../../src/storage/retry.ts';

const flaky = (message: string, retryable: boolean) => new SparkifyError('SPK_E_STORAGE', message, { retryable });

test('retryable errors are retried with growing, capped, jittered back-off until one attempt succeeds', async () => {
  const waits: number[] = [];
  const policy = { ...defaultRetryPolicy, attempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999, sleep: async (ms: number) => void waits.push(ms) };
  let calls = 0;
  const result = await withRetries(async (attempt) => {
    calls++;
    if (attempt < 4) throw flaky('503 Slow Down', true);
    return 'ok';
  }, policy);
  assert.equal(result, 'ok');
  assert.equal(calls, 4);
  assert.deepEqual(waits, [99, 199, 299]);
});

test('an error that is not retryable is thrown at once; a retryable one after the last attempt', async () => {
  const policy = { ...defaultRetryPolicy, attempts: 3, sleep: async () => {} };
  let calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw flaky('access denied', false);
  }, policy), /access denied/);
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw flaky('connection reset', true);
  }, policy), /connection reset/);
  assert.equal(calls, 3);
  // Errors that are not ours (bugs) are never retried.
  calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new TypeError('bug');
  }, policy), TypeError);
  assert.equal(calls, 1);
});

test('full jitter stays within the exponential bound', () => {
  for (let attempt = 1; attempt < 12; attempt++) {
    const bound = Math.min(5000, 100 * 2 ** (attempt - 1));
    assert.equal(backoff({ ...defaultRetryPolicy, random: () => 0 }, attempt), 0);
    assert.ok(backoff({ ...defaultRetryPolicy, random: () => 0.9999999 }, attempt) < bound);
  }
});
