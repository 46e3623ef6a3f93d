import { Worker } from 'node:worker_threads';
import { SparkifyError } from '../core/errors.ts';
import type { QuarantineSink } from '../datasets/quarantine.ts';
import { addCounts, type SourceCounts } from '../datasets/source-counts.ts';
import { revive } from '../core/worker-errors.ts';
import { defaultWorkerThreads, workerResourceLimits } from '../core/worker-threads.ts';
import type { CreditMessage, WorkerInput, WorkerMessage } from './event-csv-messages.ts';

export interface EventStaging {
  /** The CSV chunks for COPY into stage_events, in input order; `counts` and `quarantine` follow as they are consumed. */
  chunks(): AsyncGenerator<string>;
  /** Stops the workers (idempotent); chunks() does it when it ends, the caller when it never gets there. */
  close(): Promise<void>;
}

/**
 * Reads, validates and encodes the log events in worker threads, started before they are needed: the workers work
 * through the events while the main thread stages the songs, and then beside the COPY. Parsing JSON is the costliest
 * part of a load, and one thread parses about 90 MB/s, less than the server takes in. Worker k of n takes files k,
 * k + n, k + 2n, …, and the chunks are handed out file by file in input order, so the result is exactly what
 * readLogEventBatches + eventCells + CSV encoding give on the main thread: the same CSV, the same counts, the same
 * quarantine records in the same order (added here, as their CSV is consumed), and the first failure in input order.
 * Each worker runs at most `aheadChars` characters of CSV ahead of the consumer, which bounds the memory held
 * whatever the input's size.
 */
export function stageEventsInWorkers(files: readonly string[], counts: SourceCounts, quarantine: QuarantineSink, options: { workers?: number; aheadChars?: number } = {}): EventStaging {
  const n = Math.max(1, Math.min(options.workers ?? defaultWorkerThreads(), files.length));
  const aheadChars = options.aheadChars ?? 4 * 1024 * 1024;
  const lanes = Array.from({ length: n }, (_, k) => new Lane({ files: files.filter((_, i) => i % n === k), aheadChars }));
  const close = async () => {
    await Promise.all(lanes.map((lane) => lane.close()));
  };

  async function* chunks(): AsyncGenerator<string> {
    try {
      for (let i = 0; i < files.length; i++) {
        const lane = lanes[i % n] as Lane;
        for (;;) {
          const message = await lane.next();
          for (const record of message.rejects) quarantine.add(record);
          addCounts(counts, message.counts);
          if (message.kind === 'failed') throw revive(message.error);
          if (message.kind === 'file-end') break;
          lane.credit(message.csv.length);
          yield message.csv;
        }
      }
    } finally {
      await close();
    }
  }

  return { chunks, close };
}

/** One worker and the messages it has sent that are not yet taken. */
class Lane {
  private readonly worker: Worker;
  private readonly inbox: WorkerMessage[] = [];
  private failure: unknown;
  private exited = false;
  private wake: (() => void) | undefined;

  constructor(input: WorkerInput) {
    this.worker = new Worker(new URL('./event-csv-worker.ts', import.meta.url), { workerData: input, resourceLimits: workerResourceLimits });
    this.worker.on('message', (message: WorkerMessage) => {
      this.inbox.push(message);
      this.notify();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.notify();
    });
  }

  async next(): Promise<WorkerMessage> {
    for (;;) {
      const message = this.inbox.shift();
      if (message !== undefined) return message;
      if (this.failure !== undefined) throw this.failure;
      if (this.exited) throw new SparkifyError('SPK_E_LOAD_FAILED', 'an event-staging worker stopped without finishing');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The consumer took this many characters: the worker may read that much further. */
  credit(consumed: number): void {
    this.worker.postMessage({ consumed } satisfies CreditMessage);
  }

  async close(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
