import type { SqlEngine, SqlSession } from '../../engines/engine.ts';

/** Which queued task instances a claim may take: one DAG's, or one run's of it. */
export interface ClaimScope {
  dagId: string;
  runId?: string;
}

const scopeKey = Symbol('sparkify.claimScope');

/**
 * The metadata database as handed to an executor that must claim only `scope`'s task instances: `dags test`'s, which
 * runs its one run and must leave other DAGs' queued work (on a shared Postgres metadb) to the workers. Everything
 * passes through to `engine`; the sessions of its transactions carry the scope, and claimTaskInstances applies it.
 * A property of the handle rather than an option of the executor: the executor only passes its session on to
 * claimTaskInstances, so it needs no change to be scoped (an explicit `ClaimRequest.only` wins over this).
 */
export function claimingOnly(engine: SqlEngine, scope: ClaimScope): SqlEngine {
  return carrying(engine, scope, (target) => <T>(fn: (tx: SqlSession) => Promise<T>) => target.transaction((tx) => fn(carrying(tx, scope))));
}

/** The scope a session (or engine) from claimingOnly carries; undefined for any other. */
export function claimScopeOf(session: SqlSession): ClaimScope | undefined {
  return (session as { [scopeKey]?: ClaimScope })[scopeKey];
}

// Methods are bound to the real object: engines keep #private fields, which a proxy as `this` could not reach.
function carrying<S extends SqlSession>(target: S, scope: ClaimScope, transaction?: (target: S) => unknown): S {
  return new Proxy(target, {
    get(t, key) {
      if (key === scopeKey) return scope;
      if (key === 'transaction' && transaction !== undefined) return transaction(t);
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}
