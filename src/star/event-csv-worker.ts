/**
 * Worker thread: reads, validates and CSV-encodes the log events of a load (see stageEventsInWorker), so that this
 * work runs beside the main thread's, which meanwhile reads the song files and feeds COPY.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvLine } from '../core/csv-text.ts';
import type { QuarantineRecord, QuarantineSink } from '../datasets/quarantine.ts';
import { readLogEventBatches } from '../datasets/read-log-events.ts';
import { emptyCounts } from '../datasets/source-counts.ts';
import { serializeError, type CreditMessage, type WorkerInput, type WorkerMessage } from './event-csv-messages.ts';
import { eventCells } from './staging-rules.ts';

const port = parentPort;
if (port === null) throw new Error('event-csv-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let rejects: QuarantineRecord[] = [];
// Rejects travel with the CSV that follows them, so the main thread adds them to the real quarantine in input order.
const quarantine: QuarantineSink = { add: (record) => rejects.push(record), count: () => 0, total: 0, close: async () => {} };
const counts = emptyCounts('logs');
const toCells = eventCells(counts, quarantine);

let outstanding = 0;
let wake: (() => void) | undefined;
port.on('message', (message: CreditMessage) => {
  outstanding -= message.consumed;
  wake?.();
});
const send = (message: WorkerMessage) => port.postMessage(message);

try {
  for await (const batch of readLogEventBatches(input.files, quarantine, counts)) {
    let csv = '';
    for (const event of batch) {
      const cells = toCells(event);
      if (cells !== undefined) csv += csvLine(cells);
    }
    if (csv === '') continue;
    send({ kind: 'csv', csv, rejects, counts: { ...counts } });
    rejects = [];
    outstanding += csv.length;
    while (outstanding > input.aheadChars) await new Promise<void>((resolve) => (wake = resolve));
  }
  send({ kind: 'done', rejects, counts: { ...counts } });
} catch (error) {
  send({ kind: 'failed', error: serializeError(error), rejects, counts: { ...counts } });
}
port.close();
