import { BaseOperator, type TaskScope } from './base-operator.ts';
import { dagInvalid } from './dag-invalid.ts';
import type { JsonValue, ResultValue, TaskResult } from './json-value.ts';
import type { TaskContext } from './task-context.ts';
import type { TaskOptions } from './task-settings.ts';

/** Tasks whose results a function task takes, by the name its function receives them under. */
export type TaskInputs = Record<string, BaseOperator<any, any>>;

/** The values of `I`'s tasks, typed by what each task's `execute` returns. */
export type InputValues<I extends TaskInputs> = {
  [K in keyof I]: I[K] extends BaseOperator<any, infer R> ? ResultValue<Awaited<R>> : never;
};

export type TaskFn<I extends TaskInputs, R extends TaskResult> = (inputs: InputValues<I>, context: TaskContext<FunctionTaskParams>) => R | Promise<R>;

export type FunctionTaskParams = { inputs: { [name: string]: string } };

export interface FunctionTaskOptions<I extends TaskInputs> extends TaskOptions {
  /** The DAG or task group the task belongs to. */
  dag: TaskScope;
  /** Default: the function's name. */
  id?: string;
  /** Upstream tasks whose results the function receives; each becomes a dependency. */
  inputs?: I;
}

/**
 * A plain TypeScript function as a task (Airflow's TaskFlow `@task`). Its JSON return value is its result, handed to
 * the downstream function tasks that name it in `inputs` (and stored as `return_value`).
 */
export class FunctionTask<R extends TaskResult = TaskResult> extends BaseOperator<FunctionTaskParams, R> {
  readonly #fn: TaskFn<any, R>;

  constructor(scope: TaskScope, id: string, fn: TaskFn<any, R>, inputs: TaskInputs, options: TaskOptions) {
    const ids: { [name: string]: string } = {};
    for (const [name, task] of Object.entries(inputs)) {
      if (!(task instanceof BaseOperator)) throw dagInvalid(`function task '${id}': input '${name}' is not a task (a missing task?)`);
      ids[name] = task.id;
    }
    super(scope, id, { ...options, inputs: ids });
    this.#fn = fn;
    for (const task of Object.values(inputs)) this.after(task);
  }

  async execute(context: TaskContext<FunctionTaskParams>): Promise<R> {
    const values: Record<string, JsonValue> = {};
    for (const [name, taskId] of Object.entries(this.params.inputs)) values[name] = await context.resultOf(taskId);
    return this.#fn(values as InputValues<TaskInputs>, context);
  }
}

/** A function task: `task(async ({ rows }) => rows.length, { dag, id: 'count', inputs: { rows: extract } })`. */
export function task<R extends TaskResult, I extends TaskInputs = {}>(fn: TaskFn<I, R>, options: FunctionTaskOptions<I>): FunctionTask<R> {
  const { dag, id, inputs, ...rest } = options ?? ({} as FunctionTaskOptions<I>);
  if (typeof fn !== 'function') throw dagInvalid('task(fn, options): fn must be a function');
  const name = id ?? fn.name;
  if (name === '') throw dagInvalid('task(fn, options): an anonymous function needs options.id');
  if (dag === undefined || dag === null || typeof (dag as TaskScope).register !== 'function') {
    throw dagInvalid(`task '${name}': options.dag must be the DAG (or task group) the task belongs to`);
  }
  return new FunctionTask<R>(dag, name, fn as TaskFn<any, R>, inputs ?? {}, rest);
}
