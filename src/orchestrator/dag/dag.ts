import { BaseOperator, type DagHandle, type OperatorArgs, type TaskScope } from './base-operator.ts';
import { noteDagDefinition } from './dag-collector.ts';
import { dagInvalid } from './dag-invalid.ts';
import type { JsonObject } from './json-value.ts';
import { compileSchedule, type ScheduleInput } from './schedule.ts';
import type { Schedule, SerializedDeadline } from './serialized-dag.ts';
import { compileDeadline, type DeadlineCallback, type DeadlineOptions } from './deadline.ts';
import { TaskGroup, type TaskGroupOptions } from './task-group.ts';
import { baseSettings, compileTaskSettings, type DefaultArgs, type TaskSettings } from './task-settings.ts';
import { isTimeZone, toInstant } from './zoned-time.ts';

export interface DagOptions {
  /** Unique across the DAG folder: letters, digits, `_`, `-`, `.`. */
  id: string;
  schedule: ScheduleInput;
  /** The first data interval starts here: a Date, an ISO instant, or a wall-clock date(-time) in `timezone`. */
  start: Date | string;
  /** No run's data interval starts after this. */
  end?: Date | string | null;
  /** Whether the runs missed since `start` (or since the last run) are created; Airflow 3's default: false. */
  catchup?: boolean;
  /** Default 16, as Airflow. */
  maxActiveRuns?: number;
  /** Tasks of this DAG running at once across its runs; default 16, as Airflow. */
  maxActiveTasks?: number;
  defaultArgs?: DefaultArgs;
  tags?: string[];
  description?: string | null;
  /** A run's default params (templates' `params`), overridable by a trigger's conf. JSON only. */
  params?: JsonObject;
  /** IANA time zone of the schedule and of a `start`/`end` without an offset; default UTC. */
  timezone?: string;
  /** A run not finished by then is recorded and alerted once (Airflow 3.1's deadline alerts). */
  deadline?: DeadlineOptions;
  /** Called when a run ends success / failed, in the callback runner's child process (never the scheduler's). */
  onSuccessCallback?: DagRunCallback;
  onFailureCallback?: DagRunCallback;
}

/** What a DAG-run callback is given. */
export interface DagRunCallbackContext {
  dagId: string;
  runId: string;
  state: 'success' | 'failed';
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  startDate: Date | null;
  endDate: Date | null;
  conf: Record<string, unknown>;
}

export type DagRunCallback = (context: DagRunCallbackContext) => void | Promise<void>;

/** A DAG's own settings, checked and normalised (instants in ISO UTC, durations in ms). */
export interface DagSettings {
  description: string | null;
  schedule: Schedule;
  timezone: string;
  start: string;
  end: string | null;
  catchup: boolean;
  maxActiveRuns: number;
  maxActiveTasks: number;
  tags: string[];
  params: JsonObject;
  deadline: SerializedDeadline | null;
}

const dagIdPattern = /^[A-Za-z0-9_.-]{1,200}$/;

/** A DAG being defined in a DAG file: its settings and its tasks. Serialise it with `serializeDag`. */
export class Dag implements DagHandle, TaskScope {
  readonly id: string;
  readonly settings: DagSettings;
  readonly taskDefaults: TaskSettings;
  readonly groupId = null;
  readonly tasks = new Map<string, BaseOperator<any, any>>();
  /** Functions: kept in the DAG file's process, found there by the callback runner. */
  readonly callbacks: { onSuccess: DagRunCallback | null; onFailure: DagRunCallback | null; onDeadlineMiss: DeadlineCallback | null };

  constructor(options: DagOptions) {
    const o = (options ?? {}) as unknown as Record<string, unknown>;
    if (typeof o.id !== 'string' || !dagIdPattern.test(o.id)) {
      throw dagInvalid(`DAG id ${JSON.stringify(o.id) ?? String(o.id)} must be 1-200 letters, digits, '_', '-' or '.'`);
    }
    this.id = o.id;
    const where = `DAG '${this.id}'`;
    const timezone = o.timezone ?? 'UTC';
    if (!isTimeZone(timezone)) throw dagInvalid(`${where}: unknown time zone ${JSON.stringify(timezone)} (an IANA name such as 'UTC' or 'Europe/Berlin')`, { field: 'timezone' });
    if (!('schedule' in o)) throw dagInvalid(`${where}: schedule is required (a cron expression, a preset, { every }, or null for manual runs only)`, { field: 'schedule' });
    const schedule = compileSchedule(o.schedule, timezone, `${where}: schedule`);
    const start = toInstant(o.start, timezone, `${where}: start`);
    const end = o.end === undefined || o.end === null ? null : toInstant(o.end, timezone, `${where}: end`);
    if (end !== null && end < start) throw dagInvalid(`${where}: start ${start} is after end ${end}`, { field: 'start' });
    const count = (field: string, fallback: number) => {
      const v = o[field] ?? fallback;
      if (!Number.isSafeInteger(v) || (v as number) < 1) throw dagInvalid(`${where}: ${field} must be a whole number >= 1, not ${JSON.stringify(v)}`, { field });
      return v as number;
    };
    const tags = o.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw dagInvalid(`${where}: tags must be a list of strings`, { field: 'tags' });
    const params = o.params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw dagInvalid(`${where}: params must be an object`, { field: 'params' });
    if (o.catchup !== undefined && typeof o.catchup !== 'boolean') throw dagInvalid(`${where}: catchup must be true or false`, { field: 'catchup' });
    if (o.description !== undefined && o.description !== null && typeof o.description !== 'string') throw dagInvalid(`${where}: description must be a string`, { field: 'description' });
    const deadline = o.deadline === undefined || o.deadline === null ? null : compileDeadline(o.deadline, where, ['dataIntervalEnd', 'queuedAt', 'logicalDate']);
    for (const field of ['onSuccessCallback', 'onFailureCallback'] as const) {
      if (o[field] !== undefined && o[field] !== null && typeof o[field] !== 'function') throw dagInvalid(`${where}: ${field} must be a function`, { field });
    }
    this.callbacks = {
      onSuccess: (o.onSuccessCallback as DagRunCallback | undefined) ?? null,
      onFailure: (o.onFailureCallback as DagRunCallback | undefined) ?? null,
      onDeadlineMiss: deadline?.onMiss ?? null,
    };
    this.settings = {
      description: (o.description as string | null | undefined) ?? null,
      schedule,
      timezone,
      start,
      end,
      catchup: (o.catchup as boolean | undefined) ?? false,
      maxActiveRuns: count('maxActiveRuns', 16),
      maxActiveTasks: count('maxActiveTasks', 16),
      tags: [...new Set(tags as string[])].sort(),
      params: params as JsonObject,
      deadline: deadline?.spec ?? null,
    };
    this.taskDefaults = compileTaskSettings(baseSettings, (o.defaultArgs ?? {}) as DefaultArgs, `${where}: defaultArgs`);
    noteDagDefinition(this);
  }

  get dag(): this {
    return this;
  }

  register(task: BaseOperator<any, any>): void {
    if (this.tasks.has(task.id)) throw dagInvalid(`DAG '${this.id}': duplicate task id '${task.id}'`, { task: task.id });
    this.tasks.set(task.id, task);
  }

  /** `new Op(this, id, options)`: creates a task of this DAG. */
  task<P extends JsonObject, T extends BaseOperator<P, any>>(
    operator: new (scope: TaskScope, id: string, ...options: OperatorArgs<P>) => T,
    id: string,
    ...options: OperatorArgs<P>
  ): T {
    return new operator(this, id, ...options);
  }

  /** A task group of this DAG (its tasks' ids are `id.task`). */
  group(id: string, options?: TaskGroupOptions): TaskGroup {
    return new TaskGroup(this, id, options);
  }
}

/** Defines a DAG (Airflow's `DAG(...)`); a DAG file may define several. */
export function dag(options: DagOptions): Dag {
  return new Dag(options);
}
