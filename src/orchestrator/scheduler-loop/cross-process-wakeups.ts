import type { SqlEngine } from '../../engines/engine.ts';

/**
 * The two wake-ups between a scheduler and workers in other processes, as the in-process pair has them
 * (standalone/scheduler-with-executor.ts): a tick that queued task instances wakes the workers' executors, a finished
 * try wakes the scheduler's loop. The channels of the metadata database's LISTEN/NOTIFY; all of them are named here.
 */
export const wakeupChannels = {
  queued: 'sparkify_orch_task_queued',
  finished: 'sparkify_orch_try_finished',
} as const;

export type WakeupKind = keyof typeof wakeupChannels;

export interface CrossProcessWakeups {
  /** Tells the other processes, without waiting; a notification lost (the database down) costs them one poll. */
  notify(kind: WakeupKind, payload?: string): void;
  /** Stops listening, once the notifications sent so far have gone out. */
  close(): Promise<void>;
}

/**
 * Listens for the kinds in `on` and calls their handler on each notification, and once more each time it (re)starts
 * listening (what was sent while it was not is lost; polling would find it, this finds it sooner). Only a hint: the
 * metadata database stays the truth, and the scheduler and workers still poll. On an engine without notifications
 * (embedded PGlite: one process) both halves do nothing.
 */
export function crossProcessWakeups(engine: SqlEngine, on: Partial<Record<WakeupKind, () => void>>, onError: (error: unknown) => void = () => undefined): CrossProcessWakeups {
  const notifications = engine.notifications;
  if (notifications === undefined) return { notify: () => undefined, close: async () => undefined };
  const handlers = new Map<string, () => void>();
  for (const kind of Object.keys(on) as WakeupKind[]) {
    const handler = on[kind];
    if (handler !== undefined) handlers.set(wakeupChannels[kind], handler);
  }
  const wakeAll = () => {
    for (const wake of handlers.values()) wake();
  };
  const listener = handlers.size === 0 ? undefined : notifications.listen([...handlers.keys()], {
    notification: (channel) => handlers.get(channel)?.(),
    listening: wakeAll,
    error: (error, retryInMs) => onError(new Error(`wake-ups lost (polling meanwhile), listening again in ${retryInMs} ms: ${error instanceof Error ? error.message : String(error)}`, { cause: error })),
  });
  const sending = new Set<Promise<void>>();
  return {
    notify(kind, payload = '') {
      const sent = notifications.notify(wakeupChannels[kind], payload).catch((error: unknown) => onError(error)).finally(() => sending.delete(sent));
      sending.add(sent);
    },
    async close() {
      await Promise.allSettled([...sending]);
      await listener?.close();
    },
  };
}
