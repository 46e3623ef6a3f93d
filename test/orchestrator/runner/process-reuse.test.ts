import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getResult } from '../../../src/orchestrator/metadb/task-results.ts';
import { MarkerSplitter } from '../../../src/orchestrator/runner/task-process-pool.ts';
import { metadb } from '../metadb/fixtures.ts';
import { dagFolder, logOf, queueRun, testExecutor, tryRow, versionOf } from './runner-fixture.ts';

const key = (dagId: string, taskId: string) => ({ dagId, runId: 'manual__1', taskId });
const pidOf = async (engine: Parameters<typeof getResult>[0], dagId: string, taskId: string) => {
  const r = await getResult(engine, key(dagId, taskId));
  assert.equal(r.found, true, `${taskId} stored its pid`);
  return (r as { value: { pid: number } }).value.pid;
};

test('a warm task process runs the next try; one that left a timer, started a subprocess or set a global is not shared with state', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  // One slot, and tasks queued in order by their dependencies: each try runs after the one before, in whichever
  // process the pool gives it.
  const folder = await dagFolder(t, {
    'warm.ts': `import { execFileSync, spawn } from 'node:child_process';
const d = dag({ id: 'warm', schedule: null, start: '2018-11-01' });
const pid = (id: string, body: () => void = () => {}) => task(() => { body(); return { pid: process.pid }; }, { dag: d, id });
chain(
  pid('first'),
  pid('second'),
  pid('leaves_timer', () => { setTimeout(() => undefined, 60_000); }),
  pid('after_timer'),
  pid('spawns', () => { spawn(process.execPath, ['-e', '0']).unref(); }),
  pid('after_spawn'),
  pid('runs_sync_subprocess', () => { execFileSync(process.execPath, ['-e', '0']); }),
  pid('after_sync'),
);
export default d;`,
  });
  const order = ['first', 'second', 'leaves_timer', 'after_timer', 'spawns', 'after_spawn', 'runs_sync_subprocess', 'after_sync'];
  await queueRun(engine, await versionOf(folder, 'warm.ts'), 'manual__1', { queue: ['first'] });
  const { finished, executor } = testExecutor(t, engine, folder, { parallelism: 1 });
  const { queue } = await import('./runner-fixture.ts');
  for (const [i, id] of order.entries()) {
    await finished(i + 1);
    const next = order[i + 1];
    if (next !== undefined) await queue(engine, key('warm', next), ['none']);
  }
  const pids = Object.fromEntries(await Promise.all(order.map(async (id) => [id, await pidOf(engine, 'warm', id)] as const)));
  assert.equal(pids.second, pids.first, 'the second try ran in the first one\'s process');
  assert.equal(pids.leaves_timer, pids.first);
  assert.notEqual(pids.after_timer, pids.leaves_timer, 'a process with a timer left running is not reused');
  assert.match(await logOf(engine, key('warm', 'leaves_timer'), 1), /its process is not reused: the task left 1 Timeout open/);
  assert.notEqual(pids.after_spawn, pids.spawns, 'a process that started a subprocess is not reused');
  assert.match(await logOf(engine, key('warm', 'spawns'), 1), /its process is not reused: the task started a subprocess/);
  assert.notEqual(pids.after_sync, pids.runs_sync_subprocess, 'nor one whose subprocess has ended (a grandchild may not have)');
  for (const id of order) assert.equal((await tryRow(engine, key('warm', id), 1)).state, 'success');
  assert.equal(executor.processesStarted, 4, 'first..leaves_timer, after_timer..spawns, after_spawn..runs_sync_subprocess, after_sync');
});

test('a task sees its own run\'s inlets and outlets, and module state of its DAG file is the same module across warm tries', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, {
    'count.ts': `const d = dag({ id: 'count', schedule: null, start: '2018-11-01' });
let loads = (globalThis as { loads?: number }).loads = ((globalThis as { loads?: number }).loads ?? 0) + 1;
task(() => ({ loads, pid: process.pid }), { dag: d, id: 'a' });
task(() => ({ loads, pid: process.pid }), { dag: d, id: 'b' });
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'count.ts'), 'manual__1', { queue: ['a'] });
  const { finished } = testExecutor(t, engine, folder, { parallelism: 1 });
  await finished(1);
  const { queue } = await import('./runner-fixture.ts');
  await queue(engine, key('count', 'b'), ['none']);
  await finished(2);
  const a = (await getResult(engine, key('count', 'a'))) as { value: { loads: number; pid: number } };
  const b = (await getResult(engine, key('count', 'b'))) as { value: { loads: number; pid: number } };
  assert.equal(b.value.pid, a.value.pid);
  assert.deepEqual([a.value.loads, b.value.loads], [1, 1], 'the DAG file is imported once per process, not once per try');
});

test('maxTriesPerProcess 1 gives every try a fresh process', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, {
    'fresh.ts': `const d = dag({ id: 'fresh', schedule: null, start: '2018-11-01' });
task(() => ({ pid: process.pid }), { dag: d, id: 'a' });
task(() => ({ pid: process.pid }), { dag: d, id: 'b' });
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'fresh.ts'), 'manual__1', { queue: ['a'] });
  const { finished, executor } = testExecutor(t, engine, folder, { parallelism: 1, maxTriesPerProcess: 1 });
  await finished(1);
  const { queue } = await import('./runner-fixture.ts');
  await queue(engine, key('fresh', 'b'), ['none']);
  await finished(2);
  assert.notEqual(await pidOf(engine, 'fresh', 'b'), await pidOf(engine, 'fresh', 'a'));
  assert.equal(executor.processesStarted, 2);
});

test('a DAG file that hangs while a task process loads it fails the try with SPK_E_DAG_IMPORT after the load limit', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, {
    'slow.ts': `const d = dag({ id: 'slow', schedule: null, start: '2018-11-01' });
task(() => 1, { dag: d, id: 'a' });
// The DAG processor loads the file with SPARKIFY_TEST_LOAD unset; a task process hangs on it.
if (process.env.SPARKIFY_TEST_HANG_LOAD === '1' && process.send !== undefined) { const until = Date.now() + 60_000; while (Date.now() < until) {} }
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'slow.ts'), 'manual__1');
  process.env.SPARKIFY_TEST_HANG_LOAD = '1';
  t.after(() => delete process.env.SPARKIFY_TEST_HANG_LOAD);
  const { finished } = testExecutor(t, engine, folder, { parallelism: 1, dagFileTimeoutMs: 1500 });
  const [done] = await finished(1);
  assert.equal(done?.outcome.state, 'failed');
  assert.match(done?.outcome.error ?? '', /SPK_E_DAG_IMPORT: the DAG file slow\.ts did not load within 1500 ms/);
  assert.match(await logOf(engine, key('slow', 'a'), 1), /did not load within 1500 ms/);
});

test('the end-of-try marker is found whole, split across chunks, and never eats output that only looks like its start', () => {
  const m = '\u001fEND\u001f';
  const run = (chunks: string[]) => {
    const s = new MarkerSplitter(m);
    const out = chunks.flatMap((c) => s.push(c));
    const rest = s.flush();
    return [...out, ...(rest === '' ? [] : [rest])].map((p) => (p === null ? '|' : p)).join('');
  };
  assert.equal(run(['a\n', `b${m}`]), 'a\nb|');
  assert.equal(run(['x\u001fE', 'ND\u001fy']), 'x|y');
  assert.equal(run(['x\u001fE', 'Q']), 'x\u001fEQ', 'a false start is output');
  assert.equal(run(['x\u001fEN']), 'x\u001fEN', 'held text comes out at the end');
  assert.equal(run([m, m]), '||');
});
