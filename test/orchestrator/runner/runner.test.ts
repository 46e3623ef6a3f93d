import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getResult } from '../../../src/orchestrator/metadb/task-results.ts';
import { lineageOf } from '../../../src/orchestrator/metadb/lineage.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { setVariable } from '../../../src/orchestrator/metadb/variables.ts';
import { nextTryAt } from '../../../src/orchestrator/scheduler/retry.ts';
import { TestClock } from '../../../src/core/clock.ts';
import { engineKinds, metadb } from '../metadb/fixtures.ts';
import { dagFolder, instance, logOf, queue, queueRun, testBox, testExecutor, tryRow, versionOf } from './runner-fixture.ts';

const key = (dagId: string, taskId: string, runId = 'manual__1') => ({ dagId, runId, taskId });

for (const kind of engineKinds) {
  describe(`task runner on ${kind}`, () => {
    test('a task that succeeds: its result stored, its log kept (context.log, stdout, stderr), its lineage recorded', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const folder = await dagFolder(t, {
        'ok.ts': `const d = dag({ id: 'ok', schedule: null, start: '2018-11-01' });
new op.Succeed(d, 'answer', { value: { n: 42, tags: ['a'] }, inlets: [{ kind: 'objects', name: 's3://in/' }], outlets: [{ kind: 'table', name: 'warehouse.answers' }] });
new op.Talk(d, 'talk');
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'ok.ts'), 'manual__1');
      const clock = new TestClock('2026-12-07T10:00:00Z');
      const { finished } = testExecutor(t, engine, folder, { clock });
      const done = await finished(2);
      assert.deepEqual(done.map((f) => [f.claim.taskId, f.outcome.state]).sort(), [['answer', 'success'], ['talk', 'success']]);

      const answer = await instance(engine, key('ok', 'answer'));
      assert.deepEqual([answer.state, answer.tryNumber, answer.claimedBy, answer.endDate?.toISOString()], ['success', 1, null, '2026-12-07T10:00:00.000Z']);
      assert.deepEqual(await getResult(engine, key('ok', 'answer')), { found: true, value: { n: 42, tags: ['a'] } });
      assert.deepEqual(await getResult(engine, key('ok', 'talk')), { found: false }, 'a task returning nothing stores no result');
      assert.match(await logOf(engine, key('ok', 'answer'), 1), /\[task\] returning \{"n":42,"tags":\["a"\]\}/);
      const talk = await logOf(engine, key('ok', 'talk'), 1);
      for (const line of ['[runner] try 1 of 1 of ok / manual__1 / talk', '[task] from the context log', '[stdout] from stdout', '[stderr] from stderr', '[stdout] a partial line', '[runner] the task succeeded']) {
        assert.ok(talk.includes(line), `the log has ${line}:\n${talk}`);
      }
      assert.ok(talk.startsWith('2026-12-07T10:00:00.000Z [runner]'), 'lines are stamped with the injected clock');
      const lineage = await lineageOf(engine, 'warehouse.answers');
      assert.deepEqual(lineage.map((s) => [s.taskId, s.lastRunId, s.inputs]), [['answer', 'manual__1', [{ kind: 'objects', name: 's3://in/' }]]]);
      assert.equal((await tryRow(engine, key('ok', 'answer'), 1)).state, 'success');
    });

    test('a task that throws is up_for_retry at its next try time, then failed when its tries are spent, each log kept', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const folder = await dagFolder(t, {
        'bad.ts': `const d = dag({ id: 'bad', schedule: null, start: '2018-11-01', defaultArgs: { retries: 1, retryDelay: '5m', retryExponentialBackoff: true } });
new op.Throw(d, 'boom', { message: 'the source is gone' });
export default d;`,
      });
      const version = await versionOf(folder, 'bad.ts');
      await queueRun(engine, version, 'manual__1');
      const clock = new TestClock('2026-12-07T10:00:00Z');
      const { finished } = testExecutor(t, engine, folder, { clock });
      const [first] = await finished(1);
      assert.equal(first?.outcome.state, 'up_for_retry');
      const k = key('bad', 'boom');
      const after1 = await instance(engine, k);
      const task = version.dag.tasks[0]!;
      const expected = nextTryAt(task, { dagId: 'bad', taskId: 'boom', logicalDate: new Date('2018-11-01T00:00:00Z'), tryNumber: 1, failedAt: new Date('2026-12-07T10:00:00Z') });
      assert.deepEqual([after1.state, after1.tryNumber, after1.nextTryAt?.toISOString()], ['up_for_retry', 1, expected.toISOString()]);
      assert.match((await tryRow(engine, k, 1)).error ?? '', /^SPK_E_TASK_FAILED: the source is gone$/);
      assert.match(await logOf(engine, k, 1), /\[task\] Error: the source is gone\n.*\n?[\s\S]*at Throw\.execute/);

      // The scheduler's part (O5b): the retry is due, the instance is queued again.
      clock.set(expected);
      await queue(engine, k, ['up_for_retry']);
      const [, second] = await finished(2);
      assert.equal(second?.outcome.state, 'failed');
      const after2 = await instance(engine, k);
      assert.deepEqual([after2.state, after2.tryNumber, after2.nextTryAt], ['failed', 2, null]);
      assert.match(await logOf(engine, k, 2), /try 2 of 2/);
      assert.match(await logOf(engine, k, 1), /try 1 of 2/, "the first try's log is still there");
    });

    test('a task(fn) pipeline hands its typed value downstream; templated fields are rendered with ds, params (conf over the DAG\'s), var and conn', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      await engine.transaction(async (tx) => {
        await setVariable(tx, testBox, 'bucket', 'udacity-dend');
        await putConnection(tx, testBox, { connId: 'warehouse', connType: 'postgres', host: 'db.example', port: 5432, login: 'etl', schema: 'dwh', password: 's3cr3t', extra: { sslmode: 'require' }, description: null });
      });
      const folder = await dagFolder(t, {
        'flow.ts': `const d = dag({ id: 'flow', schedule: null, start: '2018-11-01', params: { who: 'dag', region: 'us-west-2' } });
const extract = task(() => ({ rows: [3, 4, 5] }), { dag: d, id: 'extract' });
task(({ data }) => { const rows: number[] = data.rows; return rows.reduce((a, b) => a + b, 0); }, { dag: d, id: 'sum', inputs: { data: extract } });
new op.Echo(d, 'echo', { key: 's3://{{ var.value.bucket }}/log_data/{{ ds }}/{{ ds_nodash }}', who: '{{ params.who }} in {{ params.region }}', secret: '[{{ conn.warehouse.password }}]', host: '{{ conn.warehouse.host }}:{{ conn.warehouse.port }}' });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'flow.ts'), 'manual__1', { logical: new Date('2018-11-02T05:00:00Z'), conf: { who: 'conf' }, queue: ['extract', 'echo'] });
      const { finished } = testExecutor(t, engine, folder);
      await finished(2);
      await queue(engine, key('flow', 'sum'), ['none']);
      const done = await finished(3);
      assert.deepEqual(done.map((f) => [f.claim.taskId, f.outcome.state]).sort(), [['echo', 'success'], ['extract', 'success'], ['sum', 'success']], JSON.stringify(done));
      assert.deepEqual(await getResult(engine, key('flow', 'sum')), { found: true, value: 12 });
      const echo = await getResult(engine, key('flow', 'echo'));
      assert.deepEqual(echo, { found: true, value: {
        key: 's3://udacity-dend/log_data/2018-11-02/20181102', who: 'conf in us-west-2', secret: '[]', host: 'db.example:5432',
        plainPassword: null, secretPassword: 's3cr3t', runParams: { who: 'conf', region: 'us-west-2' },
      } });
      const log = await logOf(engine, key('flow', 'echo'), 1);
      assert.match(log, /connection warehouse given to the task with its secrets/);
      assert.ok(!log.includes('s3cr3t'), 'the password is in no log');
    });

    test('a task that hangs past its timeout: aborted by its signal, or killed after the grace if it ignores it', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const folder = await dagFolder(t, {
        'slow.ts': `const d = dag({ id: 'slow', schedule: null, start: '2018-11-01', defaultArgs: { executionTimeout: '300ms' } });
new op.Hang(d, 'polite', { ignoreAbort: false });
new op.Hang(d, 'stubborn', { ignoreAbort: true });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'slow.ts'), 'manual__1');
      // The grace is long enough that a task obeying its abort ends within it even on a loaded machine; the stubborn
      // one is killed when it runs out.
      const { finished } = testExecutor(t, engine, folder, { killGraceMs: 3000 });
      const done = await finished(2);
      assert.deepEqual(done.map((f) => f.outcome.state), ['failed', 'failed']);
      const polite = await tryRow(engine, key('slow', 'polite'), 1);
      const stubborn = await tryRow(engine, key('slow', 'stubborn'), 1);
      assert.equal(polite.error, 'SPK_E_TASK_TIMEOUT: the task exceeded its execution timeout of 300 ms');
      assert.equal(stubborn.error, 'SPK_E_TASK_TIMEOUT: the task exceeded its execution timeout of 300 ms and was killed, having ignored its abort');
      assert.match(await logOf(engine, key('slow', 'polite'), 1), /\[task\] hanging[\s\S]*SparkifyError: SPK_E_TASK_TIMEOUT: task 'polite' exceeded its execution timeout/);
      assert.match(await logOf(engine, key('slow', 'stubborn'), 1), /did not end within 3000 ms of its abort: its process is killed/);
    });

    test("a task that ends its process: failed by the executor, with the process's output kept", async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const folder = await dagFolder(t, {
        'exit.ts': `const d = dag({ id: 'exit', schedule: null, start: '2018-11-01' });
new op.Exit(d, 'quit', { code: 3 });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'exit.ts'), 'manual__1');
      const { finished } = testExecutor(t, engine, folder);
      const [f] = await finished(1);
      assert.equal(f?.outcome.state, 'failed');
      assert.equal((await tryRow(engine, key('exit', 'quit'), 1)).error, "SPK_E_TASK_DIED: the task's process exited with code 3 before the task finished");
      assert.match(await logOf(engine, key('exit', 'quit'), 1), /\[stdout\] about to exit/);
    });
  });
}

test('a task that runs out of memory: its process dies of it, the try fails with the reason in its log', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, {
    'hog.ts': `const d = dag({ id: 'hog', schedule: null, start: '2018-11-01', defaultArgs: { retries: 2, retryDelay: '1m' } });
new op.Hog(d, 'hog');
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'hog.ts'), 'manual__1');
  const { finished } = testExecutor(t, engine, folder, { taskExecArgv: ['--max-old-space-size=48'] });
  const [f] = await finished(1);
  assert.equal(f?.outcome.state, 'up_for_retry');
  assert.match((await tryRow(engine, key('hog', 'hog'), 1)).error ?? '', /^SPK_E_TASK_DIED: the task's process was killed by SIGABRT before the task finished \(out of memory\? see the log\)$/);
  assert.match(await logOf(engine, key('hog', 'hog'), 1), /\[stderr\] .*heap out of memory/);
});

test("a run keeps its DAG version: a changed task runs as the file is now, said in the log; a task the file dropped fails", async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, {
    'v.ts': `const d = dag({ id: 'v', schedule: null, start: '2018-11-01' });
new op.Succeed(d, 'kept', { value: 'old' });
new op.Succeed(d, 'dropped', { value: 'old' });
export default d;`,
  });
  await queueRun(engine, await versionOf(folder, 'v.ts'), 'manual__1');
  const { writeDagFiles } = await import('./runner-fixture.ts');
  await writeDagFiles(folder, { 'v.ts': `const d = dag({ id: 'v', schedule: null, start: '2018-11-01' });
new op.Succeed(d, 'kept', { value: 'new' });
export default d;` });
  const { finished } = testExecutor(t, engine, folder);
  const done = await finished(2);
  assert.deepEqual(done.map((f) => [f.claim.taskId, f.outcome.state]).sort(), [['dropped', 'failed'], ['kept', 'success']]);
  assert.deepEqual(await getResult(engine, key('v', 'kept')), { found: true, value: 'new' });
  assert.match(await logOf(engine, key('v', 'kept'), 1), /the DAG file changed since the run's version: task 'kept' differs in params; running the file as it is now/);
  assert.equal((await tryRow(engine, key('v', 'dropped'), 1)).error, "SPK_E_TASK_FAILED: SPK_E_DAG_IMPORT: DAG 'v' in v.ts no longer has task 'dropped'");
});
