import { Worker } from 'node:worker_threads';
import { SparkifyError, type ErrorCode } from '../core/errors.ts';
import type { QuarantineSink } from '../datasets/quarantine.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';
import type { CreditMessage, SerializedError, WorkerInput, WorkerMessage } from './event-csv-messages.ts';

export interface EventStaging {
  /** The CSV chunks for COPY into stage_events, in input order; `counts` and `quarantine` follow as they are consumed. */
  chunks(): AsyncGenerator<string>;
  /** Stops the worker (idempotent); chunks() does it when it ends, the caller when it never gets there. */
  close(): Promise<void>;
}

/**
 * Reads, validates and encodes the log events in a worker thread, started before it is needed: the worker works
 * through the events while the main thread stages the songs, and then beside the COPY. It gives exactly what
 * readLogEventBatches + eventCells + CSV encoding give on the main thread: the same CSV, the same counts, the same
 * quarantine records in the same order (added here, as their CSV is consumed). It runs at most `aheadChars`
 * characters of CSV ahead of the consumer, which bounds the memory it holds whatever the input's size.
 */
export function stageEventsInWorker(files: readonly string[], counts: SourceCounts, quarantine: QuarantineSink, aheadChars = 32 * 1024 * 1024): EventStaging {
  const input: WorkerInput = { files, aheadChars };
  const worker = new Worker(new URL('./event-csv-worker.ts', import.meta.url), { workerData: input });
  const inbox: WorkerMessage[] = [];
  let failure: unknown;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  const close = async () => {
    if (!exited) await worker.terminate();
  };

  async function next(): Promise<WorkerMessage> {
    for (;;) {
      const message = inbox.shift();
      if (message !== undefined) return message;
      if (failure !== undefined) throw failure;
      if (exited) throw new SparkifyError('SPK_E_LOAD_FAILED', 'the event-staging worker stopped without finishing');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  async function* chunks(): AsyncGenerator<string> {
    try {
      for (;;) {
        const message = await next();
        for (const record of message.rejects) quarantine.add(record);
        Object.assign(counts, message.counts);
        if (message.kind === 'failed') throw revive(message.error);
        if (message.kind === 'done') return;
        worker.postMessage({ consumed: message.csv.length } satisfies CreditMessage);
        yield message.csv;
      }
    } finally {
      await close();
    }
  }

  return { chunks, close };
}

/** The worker's error as the caller would have got it on this thread: a SparkifyError keeps its code and fields. */
function revive(error: SerializedError): Error {
  const cause: unknown = error.cause === undefined ? undefined : revive(error.cause);
  if (error.name === 'SparkifyError' && error.code !== undefined) {
    const code = error.code as ErrorCode;
    const prefix = `${code}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const revived = new SparkifyError(code, message, { cause, retryable: error.retryable ?? false, details: error.details ?? {} });
    if (error.stack !== undefined) revived.stack = error.stack;
    return revived;
  }
  const revived = new Error(error.message, cause === undefined ? undefined : { cause });
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  if (error.code !== undefined) Object.assign(revived, { code: error.code });
  return revived;
}
