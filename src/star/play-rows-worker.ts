/**
 * Worker thread: reads, validates, matches and CSV-encodes the plays of its share of a load's files (see
 * playRowsInWorkers), so that this work runs beside the main thread's, which meanwhile stages the songs and feeds
 * COPY, and beside the other workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvLine } from '../core/csv-text.ts';
import type { QuarantineRecord, QuarantineSink } from '../datasets/quarantine.ts';
import { readLogEventBatches } from '../datasets/read-log-events.ts';
import { emptyCounts, type SourceCounts } from '../datasets/source-counts.ts';
import { serializeError } from '../core/worker-errors.ts';
import { LatestUsers } from './latest-users.ts';
import type { MainMessage, WorkerInput, WorkerMessage } from './play-rows-messages.ts';
import { SongCatalog } from './song-catalog.ts';
import { playCells } from './staging-rules.ts';

const port = parentPort;
if (port === null) throw new Error('play-rows-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let rejects: QuarantineRecord[] = [];
// Rejects travel with the CSV that follows them, so the main thread adds them to the real quarantine in input order.
const quarantine: QuarantineSink = { add: (record) => rejects.push(record), count: () => 0, total: 0, close: async () => {} };
// What happened since the last take(): the main thread adds up the workers' changes.
const counts = emptyCounts('logs');

/** The rejects and counts gathered since the last call, and a fresh start. */
function take(): { rejects: QuarantineRecord[]; counts: SourceCounts } {
  const taken = { rejects, counts: { ...counts } };
  rejects = [];
  // In place: the reader and playCells hold this object.
  Object.assign(counts, emptyCounts('logs'));
  return taken;
}

function send(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

let catalog: SongCatalog | undefined;
/** Buffers the main thread handed back once COPY had written them: the next chunks are encoded into them. */
const spare: ArrayBuffer[] = [];
let catalogArrived: (() => void) | undefined;
let outstanding = 0;
let wake: (() => void) | undefined;
port.on('message', (message: MainMessage) => {
  if (message.kind === 'catalog') {
    catalog = new SongCatalog(message.rows);
    catalogArrived?.();
    return;
  }
  if (message.kind === 'buffer') {
    spare.push(message.buffer);
    return;
  }
  outstanding -= message.consumed;
  wake?.();
});

// The catalog first: every play is matched as it is encoded. (Reading ahead of it, while the songs are staged, was
// tried: no faster at 1M events, and 100 MB more peak RSS; the main thread and the server are busy with the songs.)
if (catalog === undefined) await new Promise<void>((resolve) => (catalogArrived = resolve));
const users = new LatestUsers();
let fileIndex = 0;
const toCells = playCells(arrived(), users, counts, quarantine, () => fileIndex);
const encoder = new TextEncoder();
// Reads of 128 KiB rather than the readers' default 1 MiB: each chunk becomes one batch and one message, and smaller
// ones die young. At 1M events peak RSS fell from ~490 MB to ~370 MB, and the load got no slower (64 KiB: slower).
const readChunkBytes = 128 * 1024;

/**
 * The CSV's UTF-8 bytes, in a spare buffer big enough for any text of its length (3 bytes a UTF-16 unit), or in a new
 * one sized to a power of two (at least 64 KiB), so that it fits the chunks after it when it comes back.
 */
function encode(csv: string): Uint8Array {
  const needed = csv.length * 3;
  const at = spare.findIndex((b) => b.byteLength >= needed);
  const buffer = at === -1 ? new ArrayBuffer(2 ** Math.ceil(Math.log2(Math.max(needed, 64 * 1024)))) : (spare.splice(at, 1)[0] as ArrayBuffer);
  const { written } = encoder.encodeInto(csv, new Uint8Array(buffer));
  return new Uint8Array(buffer, 0, written);
}

function arrived(): SongCatalog {
  if (catalog === undefined) throw new Error('the catalog has not arrived');
  return catalog;
}

try {
  // One file at a time, each closed by 'file-end', so the main thread can take the files in order across workers.
  for (const [k, file] of input.files.entries()) {
    fileIndex = input.fileIndexes[k] as number;
    for await (const batch of readLogEventBatches([file], quarantine, counts, { chunkBytes: readChunkBytes })) {
      let csv = '';
      for (const located of batch) {
        const cells = toCells(located);
        if (cells !== undefined) csv += csvLine(cells);
      }
      // Bytes, moved to the main thread rather than copied; their buffer comes back once COPY has written them.
      const bytes = encode(csv);
      send({ kind: 'csv', csv: bytes, ...take() }, [bytes.buffer as ArrayBuffer]);
      outstanding += bytes.byteLength;
      while (outstanding > input.aheadBytes) await new Promise<void>((resolve) => (wake = resolve));
    }
    send({ kind: 'file-end', ...take() });
  }
  const columns = users.columns();
  send({ kind: 'users', users: columns }, [columns.userId.buffer, columns.ts.buffer, columns.sessionId.buffer, columns.itemInSession.buffer, columns.fileIndex.buffer]);
} catch (error) {
  send({ kind: 'failed', error: serializeError(error), ...take() });
}
port.close();
