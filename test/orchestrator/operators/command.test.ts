import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { dag } from '../../../src/orchestrator/dag/index.ts';
import { Command } from '../../../src/orchestrator/operators/index.ts';
import { contextFor } from './make-context.ts';

const d = () => dag({ id: 'commands', schedule: null, start: '2024-01-01' });
/** Running (a zombie waiting for its reaper does not count: it runs nothing). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

test('Command: argv without a shell (templated), output lines in the log, the last line of stdout returned', async () => {
  const task = new Command(d(), 'echo', { argv: [process.execPath, '-e', 'console.log("a $HOME;"); console.error("warn"); console.log(process.argv[1])', '{{ ds }}'] });
  const context = await contextFor(task);
  assert.equal(await task.execute(context), '2018-11-05');
  // No shell: "$HOME" and ";" are the program's text, not expanded or split.
  assert.ok(context.lines.includes('a $HOME;'));
  assert.ok(context.lines.includes('[stderr] warn'));
});

test('Command: a non-zero exit is SPK_E_COMMAND with its status; shell only when asked', async () => {
  const failing = new Command(d(), 'fails', { argv: ['exit 3'], shell: true });
  await assert.rejects(failing.execute(await contextFor(failing)), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_COMMAND' && e.details['exitCode'] === 3);
  const missing = new Command(d(), 'missing', { argv: ['no-such-program-sparkify'] });
  await assert.rejects(missing.execute(await contextFor(missing)), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG');
});

test('Command: past its timeout the whole process group is stopped (SPK_E_TIMEOUT, retryable)', async () => {
  // The shell starts a grandchild (sleep) and says its pid; both must be gone after the timeout.
  const task = new Command(d(), 'hangs', { argv: ['sleep 60 & echo "grandchild $!"; wait'], shell: true, timeout: '300ms' });
  const context = await contextFor(task);
  const started = performance.now();
  await assert.rejects(task.execute(context), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_TIMEOUT' && e.retryable);
  assert.ok(performance.now() - started < 5_000, 'stopped by SIGTERM, well before the 60 s sleep');
  const pid = Number(/^grandchild (\d+)$/.exec(context.lines.find((l) => l.startsWith('grandchild')) ?? '')?.[1]);
  assert.ok(pid > 0);
  assert.equal(alive(pid), false);
});

test('Command: the task\'s AbortSignal stops it, with the runner\'s reason', async () => {
  const controller = new AbortController();
  const task = new Command(d(), 'aborted', { argv: [process.execPath, '-e', 'console.log("ready"); setInterval(() => {}, 1000)'] });
  const reason = new SparkifyError('SPK_E_TASK_TIMEOUT', 'the execution timeout passed');
  // Aborted once the command says it runs: the log line is the synchronisation point.
  const context = await contextFor(task, { signal: controller.signal, onLog: (l) => l === 'ready' && controller.abort(reason) });
  await assert.rejects(task.execute(context), (e: unknown) => e === reason);
  // Aborted before it starts: it does not start.
  const before = new AbortController();
  before.abort(reason);
  await assert.rejects(task.execute(await contextFor(task, { signal: before.signal })), (e: unknown) => e === reason);
});
