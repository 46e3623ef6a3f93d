import type { Shape } from './shapes.ts';

/** One task instance's timestamps as the system under test recorded them in its metadata database. */
export interface TaskTimes {
  state: string;
  queued: Date | null;
  start: Date | null;
  end: Date | null;
}

/** What one shape measured on one system and backend. */
export interface ShapeTiming {
  shape: Shape['name'];
  dagId: string;
  runs: number;
  tasks: number;
  succeeded: number;
  /** From the moment the benchmark unpaused (and triggered) the DAG to the last task's end. */
  wallSeconds: number;
  /** Queued → running of each task instance (its queued time to its start), in ms. */
  startLatencyMs: { p50: number; p99: number; max: number };
}

/**
 * The timing of a shape from its task instances' rows. Both systems stamp these with the same machine's clock as the
 * benchmark's `startedAt`, so the wall time runs from the benchmark's unpause to the latest `end` a system wrote.
 */
export function shapeTiming(shape: Shape, startedAt: Date, rows: readonly TaskTimes[]): ShapeTiming {
  const ends = rows.map((r) => r.end?.getTime() ?? Number.NaN).filter(Number.isFinite);
  const latencies = rows.filter((r) => r.queued && r.start).map((r) => (r.start as Date).getTime() - (r.queued as Date).getTime());
  return {
    shape: shape.name, dagId: shape.dagId, runs: shape.runs, tasks: rows.length,
    succeeded: rows.filter((r) => r.state === 'success').length,
    wallSeconds: ends.length === 0 ? Number.NaN : (Math.max(...ends) - startedAt.getTime()) / 1000,
    startLatencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.length ? Math.max(...latencies) : Number.NaN },
  };
}

/** Nearest-rank percentile (the smallest value with at least p of the values at or below it). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** Polls `done` every `everyMs` until it holds; fails after `timeoutMs` naming `what`. */
export async function until(what: string, done: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
