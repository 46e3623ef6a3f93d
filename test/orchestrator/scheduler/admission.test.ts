import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTasks, runsToStart, type QueueCandidate } from '../../../src/orchestrator/scheduler/admission.ts';

test('maxActiveRuns: how many queued runs may start', () => {
  assert.equal(runsToStart(16, 0, 720), 16);
  assert.equal(runsToStart(16, 10, 720), 6);
  assert.equal(runsToStart(16, 16, 720), 0);
  assert.equal(runsToStart(16, 20, 720), 0, 'over the limit (lowered while runs ran): none, never negative');
  assert.equal(runsToStart(16, 0, 3), 3);
});

const candidate = (taskId: string, over: Partial<QueueCandidate> = {}): QueueCandidate => ({
  dagId: 'sparkify',
  runId: 'scheduled__2018-11-01T00:00:00+00:00',
  taskId,
  pool: 'default_pool',
  priorityWeight: 1,
  logicalDate: new Date('2018-11-01T00:00:00Z'),
  ...over,
});

test('tasks are queued by priority weight, then oldest logical date, within pool slots and maxActiveTasks', () => {
  const older = new Date('2018-10-31T23:00:00Z');
  const candidates = [
    candidate('low'),
    candidate('high', { priorityWeight: 10 }),
    candidate('old', { logicalDate: older, runId: 'scheduled__2018-10-31T23:00:00+00:00' }),
    candidate('warehouse', { pool: 'warehouse' }),
    candidate('other-dag', { dagId: 'other' }),
    candidate('nowhere', { pool: 'missing' }),
  ];
  const { queue, held } = admitTasks(candidates, { openPoolSlots: { default_pool: 3, warehouse: 0 }, openDagSlots: { sparkify: 2, other: 5 } });
  assert.deepEqual(queue.map((c) => c.taskId), ['high', 'old', 'other-dag']);
  // high, old and other-dag take the pool's 3 slots (and sparkify's 2): low finds the pool full first.
  assert.deepEqual(held.map((h) => [h.candidate.taskId, h.reason]), [
    ['low', 'pool_full'],
    ['nowhere', 'unknown_pool'],
    ['warehouse', 'pool_full'],
  ]);
  const roomyPool = admitTasks(candidates, { openPoolSlots: { default_pool: 10, warehouse: 1 }, openDagSlots: { sparkify: 2, other: 5 } });
  assert.deepEqual(roomyPool.queue.map((c) => c.taskId), ['high', 'old', 'other-dag']);
  assert.deepEqual(roomyPool.held.map((h) => [h.candidate.taskId, h.reason]), [
    ['low', 'dag_max_active_tasks'],
    ['nowhere', 'unknown_pool'],
    ['warehouse', 'dag_max_active_tasks'],
  ]);
});

test('a full pool does not hold back another pool', () => {
  const { queue } = admitTasks([candidate('a', { priorityWeight: 5 }), candidate('b', { pool: 'p2' })], { openPoolSlots: { default_pool: 0, p2: 1 }, openDagSlots: { sparkify: 10 } });
  assert.deepEqual(queue.map((c) => c.taskId), ['b']);
});
