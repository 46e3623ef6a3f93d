import type { Schedule, SerializedDag, SerializedTask, TriggerRule } from '../../../src/orchestrator/dag/serialized-dag.ts';

/** A DAG's schedule fields, with the Sparkify DAG's as defaults. */
export function timetableDag(overrides: Partial<Pick<SerializedDag, 'schedule' | 'timezone' | 'start' | 'end' | 'catchup'>> = {}) {
  return {
    schedule: { kind: 'cron', expression: '@hourly' } as Schedule,
    timezone: 'UTC',
    start: '2018-11-01T00:00:00.000Z',
    end: null as string | null,
    catchup: true,
    ...overrides,
  };
}

export function task(id: string, upstream: string[] = [], overrides: Partial<SerializedTask> = {}): SerializedTask {
  return {
    id,
    operator: 'Empty',
    upstream: [...upstream].sort(),
    triggerRule: 'all_success' as TriggerRule,
    owner: 'sparkify',
    retries: 3,
    retryDelayMs: 300_000,
    retryExponentialBackoff: false,
    maxRetryDelayMs: null,
    executionTimeoutMs: null,
    dependsOnPast: false,
    pool: 'default_pool',
    priorityWeight: 1,
    group: null,
    params: {},
    templateFields: [],
    inlets: [],
    outlets: [],
    ...overrides,
  };
}

export const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString());
