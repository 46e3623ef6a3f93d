import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import type { Dag } from '../../../src/orchestrator/dag/dag.ts';
import { serializeDag } from '../../../src/orchestrator/dag/serialize-dag.ts';
import type { DagVersion } from '../../../src/orchestrator/dag/serialized-dag.ts';
import { LocalExecutor, type ExecutorOptions } from '../../../src/orchestrator/executor/local-executor.ts';
import type { ClaimedTask } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { createDagRun } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { SecretBox } from '../../../src/orchestrator/metadb/secrets/secret-box.ts';
import { readLog } from '../../../src/orchestrator/metadb/task-logs.ts';
import { createTaskInstances, listTaskInstances, setTaskState, type TaskInstanceKey, type TaskInstanceRow } from '../../../src/orchestrator/metadb/task-instances.ts';
import type { AttemptOutcome } from '../../../src/orchestrator/runner/run-task-attempt.ts';
import { stopBeforeTeardown } from '../../support/teardown.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
/** What a test's DAG file imports: the authoring API and the test operators, by absolute URL. */
export const imports = `import { dag, task, chain } from '${pathToFileURL(join(root, 'src/orchestrator/dag/index.ts')).href}';\n` +
  `import * as op from '${pathToFileURL(join(import.meta.dirname, 'fixtures/test-operators.ts')).href}';\n`;

/** A temp DAG folder holding `files` (their text after the imports line), removed when the test ends. */
export async function dagFolder(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-runner-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeDagFiles(dir, files);
  return dir;
}

export async function writeDagFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), imports + text);
}

let loads = 0;

/** The version of the DAG a file exports as default, as the DAG processor would make it (serialised in this test's process). */
export async function versionOf(dir: string, file: string): Promise<DagVersion> {
  const module = (await import(`${pathToFileURL(join(dir, file)).href}?load=${++loads}`)) as { default: Dag };
  return serializeDag(module.default, { file });
}

/** A manual run of `version` whose task instances `queue` (default: all) are queued, through the metadb's functions. */
export async function queueRun(engine: SqlEngine, version: DagVersion, runId: string, options: { logical?: Date; conf?: Record<string, unknown>; queue?: string[] } = {}): Promise<void> {
  const logical = options.logical ?? new Date('2018-11-01T00:00:00Z');
  await engine.transaction(async (tx) => {
    await upsertDagVersion(tx, version, new Date(), false);
    await createDagRun(tx, { dagId: version.dag.id, runId, version: version.hash, runType: 'manual', logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: new Date(logical.getTime() + 3_600_000), conf: options.conf ?? {} }, new Date());
    const ids = await createTaskInstances(tx, version.dag.id, runId);
    for (const id of options.queue ?? ids) await queue(tx, { dagId: version.dag.id, runId, taskId: id }, ['none']);
  });
}

/** Queues a task instance as the scheduler does (compare-and-set from the states given). */
export async function queue(session: SqlEngine | Parameters<typeof setTaskState>[0], key: TaskInstanceKey, from: Parameters<typeof setTaskState>[2]['expected']): Promise<void> {
  if (!(await setTaskState(session, key, { state: 'queued', expected: from, now: new Date() }))) throw new Error(`could not queue ${key.taskId}`);
}

export interface Finished {
  claim: ClaimedTask;
  outcome: AttemptOutcome;
}

/**
 * A local executor on `engine` for the test (stopped when it ends), with `finished(n)`: resolves once n tries have
 * finished since the start, with them (the executor reports each: no sleeping, no polling).
 */
export function testExecutor(t: TestContext, engine: SqlEngine, folder: string, options: Partial<ExecutorOptions> = {}) {
  const done: Finished[] = [];
  const waiters: { n: number; resolve: (f: Finished[]) => void }[] = [];
  const errors: unknown[] = [];
  const executor = new LocalExecutor({
    metadb: engine, secrets: testBox, dagFolder: folder, parallelism: 4, pollMs: 50, logFlushMs: 20, killGraceMs: 500, ...options,
    onFinished: (claim, outcome) => {
      done.push({ claim, outcome });
      for (const w of waiters.filter((w) => done.length >= w.n)) w.resolve(done.slice(0, w.n));
    },
    onError: (error) => errors.push(error),
  });
  executor.start();
  // Before its database goes (the fixture's drop or close is an earlier after hook).
  stopBeforeTeardown(t, () => executor.stop(0));
  t.after(() => executor.stop(0));
  return {
    executor,
    errors,
    finished: (n: number) => new Promise<Finished[]>((resolve) => (done.length >= n ? resolve(done.slice(0, n)) : waiters.push({ n, resolve }))),
  };
}

export const testBox = new SecretBox(randomBytes(32));

export async function instance(engine: SqlEngine, key: TaskInstanceKey): Promise<TaskInstanceRow> {
  const row = (await listTaskInstances(engine, key.dagId, key.runId)).find((r) => r.taskId === key.taskId);
  if (row === undefined) throw new Error(`no task instance ${key.taskId}`);
  return row;
}

export async function logOf(engine: SqlEngine, key: TaskInstanceKey, tryNumber: number): Promise<string> {
  return (await readLog(engine, key, tryNumber)).map((c) => c.text).join('');
}

export async function tryRow(engine: SqlEngine, key: TaskInstanceKey, tryNumber: number): Promise<{ state: string; error: string | null; hostname: string }> {
  const [row] = await engine.query<{ state: string; error: string | null; hostname: string }>(
    'SELECT state, error, hostname FROM orch_task_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = $4', [key.dagId, key.runId, key.taskId, tryNumber]);
  if (row === undefined) throw new Error(`no try ${tryNumber} of ${key.taskId}`);
  return row;
}
