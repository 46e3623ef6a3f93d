/**
 * Process-wide cleanup of throwaway servers: each registers a handle; on SIGINT/SIGTERM/SIGHUP the handles that
 * asked for it are stopped, and on exit every handle still registered is stopped synchronously.
 */
export interface CleanupHandle {
  stop(): Promise<void>;
  /** For the exit hook, where nothing can be awaited. */
  stopSync(): void;
}

const tracked = new Map<CleanupHandle, boolean>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `onSignals` false: the caller stops the server itself after its own work (the test runner waits for its tests). */
export function track(handle: CleanupHandle, onSignals: boolean): void {
  tracked.set(handle, onSignals);
  syncListeners();
}

export function untrack(handle: CleanupHandle): void {
  tracked.delete(handle);
  syncListeners();
}

function syncListeners(): void {
  const wantSignals = [...tracked.values()].some(Boolean);
  process.removeListener('exit', onExit);
  if (tracked.size > 0) process.on('exit', onExit);
  for (const signal of signals) {
    process.removeListener(signal, onSignal);
    if (wantSignals) process.on(signal, onSignal);
  }
}

function onExit(): void {
  for (const handle of tracked.keys()) handle.stopSync();
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  const handles = [...tracked].filter(([, onSignals]) => onSignals).map(([handle]) => handle);
  await Promise.allSettled(handles.map((handle) => handle.stop()));
  // If nobody else listens any more, die by the signal as Node would have without us — which skips the exit
  // hook, so first clean up what a handleSignals=false caller left behind.
  if (process.listenerCount(signal) > 0) return;
  onExit();
  process.kill(process.pid, signal);
}
