import type { SerializedDeadline } from '../dag/serialized-dag.ts';

/** A run's times a deadline can count from. */
export interface DeadlineTimes {
  dataIntervalEnd: Date;
  queuedAt: Date;
  logicalDate: Date;
}

/** When `spec` falls for a run: its reference time plus the interval. */
export function deadlineOf(spec: SerializedDeadline, run: DeadlineTimes): Date {
  return new Date(run[spec.reference].getTime() + spec.intervalMs);
}
