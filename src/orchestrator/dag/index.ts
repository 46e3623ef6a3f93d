/** The authoring API: what a DAG file imports. */
export { BaseOperator, type DagHandle, type OperatorArgs, type TaskScope, type TaskSet } from './base-operator.ts';
export { chain } from './chain.ts';
export { Dag, dag, type DagOptions, type DagSettings } from './dag.ts';
export type { Duration, DurationUnit } from './duration.ts';
export { FunctionTask, task, type FunctionTaskOptions, type FunctionTaskParams, type InputValues, type TaskFn, type TaskInputs } from './function-task.ts';
export type { JsonObject, JsonValue, ResultValue, TaskResult } from './json-value.ts';
export type { ScheduleInput, SchedulePreset } from './schedule.ts';
export { serializeDag, type SerializeOptions } from './serialize-dag.ts';
export type { DagVersion, DatasetRef, Schedule, SerializedDag, SerializedTask, TriggerRule } from './serialized-dag.ts';
export { triggerRules } from './serialized-dag.ts';
export type { TaskConnection, TaskContext } from './task-context.ts';
export { TaskGroup, type TaskGroupOptions } from './task-group.ts';
export type { DefaultArgs, TaskOptions } from './task-settings.ts';
