import { createHash } from 'node:crypto';
import type { BaseOperator } from './base-operator.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Dag } from './dag.ts';
import { dagInvalid } from './dag-invalid.ts';
import type { DagVersion, SerializedDag, SerializedTask } from './serialized-dag.ts';
import { dagProblems } from './validate-serialized-dag.ts';

export interface SerializeOptions {
  /** The DAG file, relative to the DAG folder (the DAG processor sets it). */
  file?: string;
}

/** Code-unit order, the same in every locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The DAG as the scheduler will see it, with its version: canonical JSON (sorted keys, tasks by id, sorted upstream
 * ids, instants in ISO UTC, nothing from the clock) and its SHA-256. Throws SPK_E_DAG_INVALID listing every problem
 * (a cycle, a missing task, …) or a value that is not JSON.
 */
export function serializeDag(dag: Dag, options: SerializeOptions = {}): DagVersion {
  const s = dag.settings;
  const tasks = [...dag.tasks.values()].map((t) => serializeTask(dag, t)).sort((a, b) => byCodeUnit(a.id, b.id));
  const serialized: SerializedDag = {
    id: dag.id,
    file: options.file ?? '',
    description: s.description,
    schedule: s.schedule,
    timezone: s.timezone,
    start: s.start,
    end: s.end,
    catchup: s.catchup,
    maxActiveRuns: s.maxActiveRuns,
    maxActiveTasks: s.maxActiveTasks,
    tags: s.tags,
    params: s.params,
    tasks,
    // Only when set, so that DAGs without them keep the versions (hashes) they had before these existed.
    ...(s.deadline === null ? {} : { deadline: s.deadline }),
    ...(dag.callbacks.onSuccess === null && dag.callbacks.onFailure === null ? {} : { callbacks: { onSuccess: dag.callbacks.onSuccess !== null, onFailure: dag.callbacks.onFailure !== null } }),
  };
  const problems = dagProblems(serialized);
  if (problems.length > 0) throw dagInvalid(problems.join('; '), { dag: dag.id, problems });
  const json = canonicalJson(serialized, `DAG '${dag.id}'`);
  // The parsed text, not the object built above: what the scheduler reads back is exactly what was hashed.
  return { dag: JSON.parse(json) as SerializedDag, json, hash: createHash('sha256').update(json).digest('hex') };
}

function serializeTask(dag: Dag, t: BaseOperator<any, any>): SerializedTask {
  for (const up of t.upstream) {
    if (dag.tasks.get(up.id) !== up) throw dagInvalid(`DAG '${dag.id}', task '${t.id}': depends on '${up.id}', which is not a task of this DAG`);
  }
  // An optional templated setting left out has nothing to render.
  const fields = [...new Set(t.templateFields as readonly string[])].filter((f) => t.params[f] !== undefined).sort(byCodeUnit);
  const refs = (list: typeof t.inlets) =>
    [...new Map(list.map((r) => [`${r.kind}\u0000${r.name}`, { kind: r.kind, name: r.name }])).entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([, r]) => r);
  const s = t.settings;
  return {
    id: t.id,
    operator: t.operatorName,
    upstream: [...t.upstream].map((u) => u.id).sort(byCodeUnit),
    triggerRule: s.triggerRule,
    owner: s.owner,
    retries: s.retries,
    retryDelayMs: s.retryDelayMs,
    retryExponentialBackoff: s.retryExponentialBackoff,
    maxRetryDelayMs: s.maxRetryDelayMs,
    executionTimeoutMs: s.executionTimeoutMs,
    dependsOnPast: s.dependsOnPast,
    pool: s.pool,
    priorityWeight: s.priorityWeight,
    group: t.group,
    params: t.params,
    templateFields: fields,
    inlets: refs(t.inlets),
    outlets: refs(t.outlets),
    ...(t.deadline === null ? {} : { deadline: t.deadline.spec }),
    ...(s.email.length > 0 && (s.emailOnFailure || s.emailOnRetry) ? { email: { to: s.email, onFailure: s.emailOnFailure, onRetry: s.emailOnRetry } } : {}),
  };
}
