import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * Input from which parsing moves to worker threads (about 70,000 events): below it, a worker's start-up (~0.2 s)
 * costs more than it saves.
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
 * Each parsing thread's heap limits. V8's default young generation on a big machine lets each worker grow to ~150 MB;
 * 48 MB keeps nearly its speed (1M events on two workers: 3.75 s vs 3.6 s) at peak RSS 355 MB instead of 516 MB.
 */
export const workerResourceLimits: ResourceLimits = { maxYoungGenerationSizeMb: 48 };
