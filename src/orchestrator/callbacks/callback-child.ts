/**
 * The callback runner's child process: imports one DAG file and calls one DAG-run or deadline callback in it (user
 * code: never in the scheduler's process). Started as `node callback-child.ts <dag folder>`; the parent enforces the
 * time limit by killing it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installDagCollector } from '../dag/dag-collector.ts';
import type { Dag } from '../dag/dag.ts';
import type { BaseOperator } from '../dag/base-operator.ts';
import type { CallbackJob, CallbackReply } from './callback-messages.ts';

const folder = resolve(process.argv[2] ?? '.');
const defined = installDagCollector();
const send = (m: CallbackReply) => process.send?.(m);
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

async function run(job: CallbackJob): Promise<void> {
  await import(pathToFileURL(resolve(folder, job.file)).href);
  const dag = defined.map((d) => d.dag as Dag).find((d) => d.id === job.dagId);
  if (dag === undefined) throw new Error(`the DAG file ${job.file} no longer defines DAG '${job.dagId}'`);
  const context = Object.fromEntries(Object.entries(job.context).map(([k, v]) => [k, typeof v === 'string' && iso.test(v) ? new Date(v) : v]));
  let callback: ((c: any) => unknown) | null;
  if (job.kind === 'dag_success') callback = dag.callbacks.onSuccess;
  else if (job.kind === 'dag_failure') callback = dag.callbacks.onFailure;
  else if (job.taskId === null) callback = dag.callbacks.onDeadlineMiss;
  else callback = (dag.tasks.get(job.taskId) as BaseOperator<any, any> | undefined)?.deadline?.onMiss ?? null;
  if (callback === null) throw new Error(`DAG '${job.dagId}' in ${job.file} no longer has this ${job.kind} callback${job.taskId === null ? '' : ` (task '${job.taskId}')`}`);
  await callback(context);
}

process.on('message', (m: CallbackJob) => {
  if (m.type !== 'run') return;
  run(m).then(() => send({ type: 'done' }), (e: unknown) => send({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
const fail = (e: unknown) => send({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
send({ type: 'ready' });
