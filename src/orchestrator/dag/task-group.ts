import { dagInvalid } from './dag-invalid.ts';
import { BaseOperator, checkLocalId, link, type DagHandle, type TaskScope, type TaskSet } from './base-operator.ts';
import { compileTaskSettings, type DefaultArgs, type TaskSettings } from './task-settings.ts';

export interface TaskGroupOptions {
  /** Defaults for the group's tasks, over the DAG's. */
  defaultArgs?: DefaultArgs;
}

/**
 * A named set of tasks inside a DAG (Airflow's TaskGroup): its tasks' ids are `group.task`, and a dependency to the
 * group attaches to its first tasks, from it to its last ones — as they are when the dependency is drawn.
 */
export class TaskGroup implements TaskScope, TaskSet {
  readonly dag: DagHandle;
  readonly groupId: string;
  readonly taskDefaults: TaskSettings;
  readonly tasks: BaseOperator<any, any>[] = [];
  readonly #parent: TaskScope;

  constructor(parent: TaskScope, id: string, options: TaskGroupOptions = {}) {
    const local = checkLocalId(id, 'task group');
    this.#parent = parent;
    this.dag = parent.dag;
    this.groupId = parent.groupId === null ? local : `${parent.groupId}.${local}`;
    this.taskDefaults = compileTaskSettings(parent.taskDefaults, options.defaultArgs ?? {}, `DAG '${parent.dag.id}', task group '${this.groupId}'`);
  }

  // Through the parent, so an enclosing group lists an inner group's tasks too (its roots and leaves see them).
  register(task: BaseOperator<any, any>): void {
    this.#parent.register(task);
    this.tasks.push(task);
  }

  /** A group inside this one (ids `outer.inner.task`). */
  group(id: string, options?: TaskGroupOptions): TaskGroup {
    return new TaskGroup(this, id, options);
  }

  roots(): BaseOperator<any, any>[] {
    const inside = new Set(this.tasks);
    const roots = this.tasks.filter((t) => ![...t.upstream].some((u) => inside.has(u)));
    if (roots.length === 0) throw dagInvalid(`task group '${this.groupId}' of DAG '${this.dag.id}' has no tasks to depend on yet`);
    return roots;
  }

  leaves(): BaseOperator<any, any>[] {
    const inside = new Set(this.tasks);
    const leaves = this.tasks.filter((t) => ![...t.downstream].some((d) => inside.has(d)));
    if (leaves.length === 0) throw dagInvalid(`task group '${this.groupId}' of DAG '${this.dag.id}' has no tasks to depend on yet`);
    return leaves;
  }

  then<T extends TaskSet | readonly TaskSet[]>(next: T): T {
    link(this, next);
    return next;
  }

  after(...previous: (TaskSet | readonly TaskSet[])[]): this {
    for (const p of previous) link(p, this);
    return this;
  }
}
