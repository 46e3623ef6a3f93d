import { dagInvalid } from './dag-invalid.ts';
import type { JsonObject, TaskResult } from './json-value.ts';
import { compileDeadline, type DeadlineCallback } from './deadline.ts';
import type { DatasetRef, SerializedDeadline } from './serialized-dag.ts';
import type { TaskContext } from './task-context.ts';
import { compileTaskSettings, datasetRefs, taskOptionKeys, type TaskOptions, type TaskSettings } from './task-settings.ts';

/** The DAG a task belongs to, as a task sees it (the Dag class implements it). */
export interface DagHandle {
  readonly id: string;
}

/** Where tasks are created: a DAG, or one of its task groups (whose id prefixes its tasks' ids: `group.task`). */
export interface TaskScope {
  readonly dag: DagHandle;
  /** The group's full id (`outer.inner`), or null for the DAG itself. */
  readonly groupId: string | null;
  /** The settings a task created here starts from: the DAG's default args, then its groups'. */
  readonly taskDefaults: TaskSettings;
  /** Adds a task; throws if its id is taken. */
  register(task: BaseOperator<any, any>): void;
}

/** Anything a dependency can be drawn to or from: a task, or a task group (its first and last tasks). */
export interface TaskSet {
  /** The tasks an upstream dependency attaches to. */
  roots(): BaseOperator<any, any>[];
  /** The tasks a downstream dependency leaves from. */
  leaves(): BaseOperator<any, any>[];
}

const idPattern = /^[A-Za-z0-9_-]{1,200}$/;

/** Checks a task or group id from untyped code; `.` is reserved for `group.task`. */
export function checkLocalId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !idPattern.test(id)) {
    throw dagInvalid(`${what} id ${JSON.stringify(id) ?? String(id)} must be 1-200 letters, digits, '_' or '-'`, { id });
  }
  return id;
}

/** The arguments of an operator's constructor after the scope and id: its settings, optional when it needs none. */
export type OperatorArgs<P> = {} extends P ? [options?: P & TaskOptions] : [options: P & TaskOptions];

/**
 * A task: an operator instance in a DAG. Subclasses declare their settings `P` (JSON, serialised as the task's params),
 * which of them are templated, their lineage, and `execute`, which the task runner calls in a worker's process; the
 * scheduler never does. `R` is what `execute` returns, handed to downstream tasks (stored as `return_value`).
 */
export abstract class BaseOperator<P extends JsonObject = JsonObject, R extends TaskResult = void> implements TaskSet {
  /** Unique in its DAG: `group.task` inside a task group. */
  readonly id: string;
  readonly dag: DagHandle;
  readonly group: string | null;
  readonly params: P;
  readonly settings: TaskSettings;
  /** Which of `params`' keys are rendered with the run's context before `execute` (a typo is a compile error). */
  readonly templateFields: readonly (keyof P & string)[] = [];
  inlets: DatasetRef[];
  outlets: DatasetRef[];
  /** The task's deadline (relative to its run's queued time or data interval end) and its callback; null: none. */
  readonly deadline: { spec: SerializedDeadline; onMiss: DeadlineCallback | null } | null;
  readonly upstream = new Set<BaseOperator<any, any>>();
  readonly downstream = new Set<BaseOperator<any, any>>();

  constructor(scope: TaskScope, id: string, ...[options]: OperatorArgs<P>) {
    const local = checkLocalId(id, 'task');
    this.id = scope.groupId === null ? local : `${scope.groupId}.${local}`;
    this.dag = scope.dag;
    this.group = scope.groupId;
    const where = `DAG '${scope.dag.id}', task '${this.id}'`;
    const all = (options ?? {}) as Record<string, unknown>;
    this.settings = compileTaskSettings(scope.taskDefaults, all as TaskOptions, where);
    this.inlets = datasetRefs(all.inlets, 'inlets', where);
    this.outlets = datasetRefs(all.outlets, 'outlets', where);
    this.deadline = all.deadline === undefined || all.deadline === null ? null : compileDeadline(all.deadline, where, ['queuedAt', 'dataIntervalEnd']);
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) if (!(taskOptionKeys as readonly string[]).includes(key)) params[key] = value;
    this.params = params as P;
    scope.register(this);
  }

  /** The operator's name in the serialised DAG: its class's name. */
  get operatorName(): string {
    return this.constructor.name;
  }

  abstract execute(context: TaskContext<P>): R | Promise<R>;

  roots(): BaseOperator<any, any>[] {
    return [this];
  }

  leaves(): BaseOperator<any, any>[] {
    return [this];
  }

  /** This task before `next` (Airflow's `>>`); returns `next`, so `a.then(b).then(c)` is a chain and `a.then([b, c])` a fan-out. */
  then<T extends TaskSet | readonly TaskSet[]>(next: T): T {
    link(this, next);
    return next;
  }

  /** This task after every one of `previous` (a fan-in: Airflow's `[a, b] >> c`); returns this task. */
  after(...previous: (TaskSet | readonly TaskSet[])[]): this {
    for (const p of previous) link(p, this);
    return this;
  }
}

/** Every leaf of `from` before every root of `to`; both must be of one DAG. */
export function link(from: TaskSet | readonly TaskSet[], to: TaskSet | readonly TaskSet[]): void {
  const ups = asSets(from).flatMap((s) => s.leaves());
  const downs = asSets(to).flatMap((s) => s.roots());
  for (const up of ups) {
    for (const down of downs) {
      if (up.dag !== down.dag) {
        throw dagInvalid(`task '${down.id}' of DAG '${down.dag.id}' cannot depend on task '${up.id}' of DAG '${up.dag.id}': dependencies stay inside one DAG`);
      }
      down.upstream.add(up);
      up.downstream.add(down);
    }
  }
}

function asSets(value: TaskSet | readonly TaskSet[]): readonly TaskSet[] {
  const sets = Array.isArray(value) ? (value as readonly TaskSet[]) : [value as TaskSet];
  for (const s of sets) {
    // A DAG file may be JavaScript: a string id or a stray object is a missing task, named here.
    if (typeof s !== 'object' || s === null || typeof (s as TaskSet).roots !== 'function') {
      const name = typeof s === 'object' && s !== null && 'id' in s ? String((s as { id: unknown }).id) : JSON.stringify(s) ?? String(s);
      throw dagInvalid(`a dependency names ${name}, which is not a task or task group of a DAG (a missing task?)`);
    }
  }
  return sets;
}
