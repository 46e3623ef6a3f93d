import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * Input from which parsing moves to worker threads (about 70,000 events): below it, a worker's start-up costs more
 * than it saves (docs/decisions/2026-11-25-star-parsing-on-worker-threads.md).
 */
export const workerThresholdBytes = 32 * 1024 * 1024;

/**
 * Parsing threads to start: two keep the main thread's reads and the engine's COPY busy; more would each add a
 * JavaScript heap for little gain, and on one core a worker only competes with the main thread.
 */
export function defaultWorkerThreads(): number {
  return Math.min(2, availableParallelism());
}

/**
 * Each parsing thread's heap limits. V8's default young generation on a big machine lets each worker grow far larger;
 * 48 MB keeps nearly its speed at a much lower peak RSS (docs/decisions/2026-11-25-star-parsing-on-worker-threads.md).
 */
export const workerResourceLimits: ResourceLimits = { maxYoungGenerationSizeMb: 48 };
