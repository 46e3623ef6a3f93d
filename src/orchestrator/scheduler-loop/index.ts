export { clearTasks, type ClearRequest, type ClearResult } from './clear-tasks.ts';
export { crossProcessWakeups, wakeupChannels, type CrossProcessWakeups, type WakeupKind } from './cross-process-wakeups.ts';
export { createBackfill, openBackfill, type BackfillPlan, type BackfillPlanItem, type BackfillRequest, type Reprocess } from './create-backfill.ts';
export { DagVersions } from './dag-versions.ts';
export { createScheduler, runScheduler, type RunSchedulerOptions, type Scheduler, type SchedulerOptions } from './run-scheduler.ts';
export { schedulerTick, type SchedulerTickOptions, type TickReport } from './scheduler-tick.ts';
export { syncDagFolder, type DagFolderSync, type SyncDagFolderOptions } from './sync-dag-folder.ts';
export { WakeSignal } from './wake-signal.ts';
export { triggerDagRun, type TriggerRequest } from './trigger-dag-run.ts';
