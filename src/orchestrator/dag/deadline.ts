import { dagInvalid } from './dag-invalid.ts';
import { durationMs, type Duration } from './duration.ts';
import type { SerializedDeadline } from './serialized-dag.ts';

/**
 * What a deadline callback is given (run in the callback runner's child process, where the DAG file is imported):
 * the run, the task (null for the DAG run's deadline), and the deadline that passed.
 */
export interface DeadlineMissContext {
  dagId: string;
  runId: string;
  taskId: string | null;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  reference: SerializedDeadline['reference'];
  deadline: Date;
}

export type DeadlineCallback = (context: DeadlineMissContext) => void | Promise<void>;

/**
 * Airflow 3.1's DeadlineAlert (Airflow 2's SLA): not finished by `reference + interval` is a miss, recorded once and
 * alerted once (an email to `email`, `onMiss` called) while the run is still open. References: the run's data interval
 * end, its queued time, or its logical date (the DAG run's; a task's: its run's queued time or data interval end).
 */
export interface DeadlineOptions {
  reference: SerializedDeadline['reference'];
  interval: Duration;
  email?: string | string[];
  onMiss?: DeadlineCallback;
}

/** Checked from untyped code: the serialised part and the callback (which stays in the DAG file's process). */
export function compileDeadline(value: unknown, where: string, references: readonly SerializedDeadline['reference'][]): { spec: SerializedDeadline; onMiss: DeadlineCallback | null } {
  const o = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) throw dagInvalid(`${where}: deadline must be { reference, interval }`, { field: 'deadline' });
  if (!references.includes(o.reference as SerializedDeadline['reference'])) {
    throw dagInvalid(`${where}: deadline.reference must be one of ${references.join(', ')}, not ${JSON.stringify(o.reference)}`, { field: 'deadline' });
  }
  const intervalMs = durationMs(o.interval, `${where}: deadline.interval`);
  const list = o.email === undefined ? [] : typeof o.email === 'string' ? [o.email] : o.email;
  if (!Array.isArray(list) || !list.every((a) => typeof a === 'string' && /^[^\s@<>,;]+@[^\s@<>,;]+$/.test(a))) throw dagInvalid(`${where}: deadline.email must be an address or a list of addresses`, { field: 'deadline' });
  if (o.onMiss !== undefined && typeof o.onMiss !== 'function') throw dagInvalid(`${where}: deadline.onMiss must be a function`, { field: 'deadline' });
  const onMiss = (o.onMiss as DeadlineCallback | undefined) ?? null;
  return { spec: { reference: o.reference as SerializedDeadline['reference'], intervalMs, email: [...new Set(list as string[])], callback: onMiss !== null }, onMiss };
}
