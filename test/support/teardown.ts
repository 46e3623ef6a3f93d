/**
 * Work a test started that must end before its databases go: node:test runs a test's `after` hooks in the order they
 * were registered, and a database fixture registers its drop first, so an executor stopped by a later hook would
 * still be claiming and renewing leases while its database is dropped under it (WITH (FORCE) cuts its connections).
 * The fixture's drop runs these first.
 */
const stoppers = new WeakMap<object, (() => Promise<unknown>)[]>();

/** Registers `stop` to run before `owner`'s databases are dropped (and before its other after hooks). */
export function stopBeforeTeardown(owner: object, stop: () => Promise<unknown>): void {
  const list = stoppers.get(owner) ?? [];
  list.push(stop);
  stoppers.set(owner, list);
}

/** Runs (once) what `owner` registered, newest first. */
export async function runStoppers(owner: object): Promise<void> {
  const list = stoppers.get(owner) ?? [];
  stoppers.delete(owner);
  for (const stop of list.reverse()) await stop();
}
