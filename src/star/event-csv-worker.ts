/**
 * Worker thread: reads, validates and CSV-encodes the log events of its share of a load's files (see
 * stageEventsInWorkers), so that this work runs beside the main thread's, which meanwhile reads the song files and
 * feeds COPY, and beside the other workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvBatchChunks } from '../core/csv-text.ts';
import type { QuarantineRecord, QuarantineSink } from '../datasets/quarantine.ts';
import { readLogEventBatches } from '../datasets/read-log-events.ts';
import { emptyCounts } from '../datasets/source-counts.ts';
import { serializeError, type SerializedError } from '../core/worker-errors.ts';
import type { CreditMessage, WorkerInput, WorkerMessage } from './event-csv-messages.ts';
import { eventCells } from './staging-rules.ts';

const port = parentPort;
if (port === null) throw new Error('event-csv-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let rejects: QuarantineRecord[] = [];
// Rejects travel with the CSV that follows them, so the main thread adds them to the real quarantine in input order.
const quarantine: QuarantineSink = { add: (record) => rejects.push(record), count: () => 0, total: 0, close: async () => {} };
// What happened since the last message: the main thread adds up the workers' changes.
const counts = emptyCounts('logs');
const toCells = eventCells(counts, quarantine);

let outstanding = 0;
let wake: (() => void) | undefined;
port.on('message', (message: CreditMessage) => {
  outstanding -= message.consumed;
  wake?.();
});

/** Sends a message with the rejects and counts gathered since the last one, and starts gathering anew. */
function send(message: { kind: 'csv'; csv: string } | { kind: 'file-end' } | { kind: 'failed'; error: SerializedError }): void {
  port!.postMessage({ ...message, rejects, counts: { ...counts } } as WorkerMessage);
  rejects = [];
  // In place: eventCells and the reader hold this object.
  Object.assign(counts, emptyCounts('logs'));
}

try {
  // One file at a time, each closed by 'file-end', so the main thread can take the files in order across workers.
  for (const file of input.files) {
    for await (const csv of csvBatchChunks(readLogEventBatches([file], quarantine, counts), toCells)) {
      send({ kind: 'csv', csv });
      outstanding += csv.length;
      while (outstanding > input.aheadChars) await new Promise<void>((resolve) => (wake = resolve));
    }
    send({ kind: 'file-end' });
  }
} catch (error) {
  send({ kind: 'failed', error: serializeError(error) });
}
port.close();
