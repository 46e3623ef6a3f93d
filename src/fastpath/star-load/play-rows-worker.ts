/**
 * Worker thread: reads, validates, matches and encodes (binary COPY rows) the plays of its share of a load's files (see
 * playRowsInWorkers), so that this work runs beside the main thread's, which meanwhile stages the songs and feeds
 * COPY, and beside the other workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { QuarantineRecord, QuarantineSink } from '../../datasets/quarantine.ts';
import { lineEvent } from '../../datasets/read-log-events.ts';
import { decodeLine, readLineBatches, type BadLine, type RawLines, type TextLine } from '../../datasets/read-lines.ts';
import { emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import { serializeError } from '../worker-errors.ts';
import { LatestUsers } from '../../pipelines/star-load/latest-users.ts';
import { readChunkBytes, rowBufferBytes, sendBytes, type MainMessage, type WorkerInput, type WorkerMessage } from './play-rows-messages.ts';
import { binaryPlay, ByteOut } from '../../pipelines/star-load/binary-rows.ts';
import { PlayBytes } from './play-bytes.ts';
import { SongCatalog } from '../../pipelines/star-load/song-catalog.ts';
import { playCells } from '../../pipelines/star-load/staging-rules.ts';
import { TimeRows } from '../../pipelines/star-load/time-rows.ts';

const NEWLINE = 0x0a;
const port = parentPort;
if (port === null) throw new Error('play-rows-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;

let rejects: QuarantineRecord[] = [];
// Rejects travel with the rows that follow them, so the main thread adds them to the real quarantine in input order.
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
/** The most buffer bytes this worker had out at once, for the tests of the credit. */
let mostAhead = 0;
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

// The catalog first: every play is matched as it is encoded. (Reading ahead of it, while the songs are staged, gains
// nothing, since the main thread and the server are busy with the songs, and holds more memory:
// docs/decisions/2026-12-01-dropped-star-parallelism-experiments.md.)
if (catalog === undefined) await new Promise<void>((resolve) => (catalogArrived = resolve));
const users = new LatestUsers();
let fileIndex = 0;
const toCells = playCells(arrived(), users, counts, quarantine, () => fileIndex);
const times = new TimeRows();
const fast = new PlayBytes(arrived(), users, counts, () => fileIndex, times, input.scan ?? 'wasm');
/** A spare buffer of at least `bytes` (one COPY has finished with), or a new one. */
function takeBuffer(bytes: number): ArrayBuffer {
  const at = spare.findIndex((b) => b.byteLength >= bytes);
  return at === -1 ? new ArrayBuffer(bytes) : (spare.splice(at, 1)[0] as ArrayBuffer);
}

/** The reference path for one line: JSON.parse, validation, the star rules, binaryPlay. */
function slowLine(item: TextLine | BadLine, file: string, out: ByteOut): void {
  const event = lineEvent(item, file, quarantine, counts);
  if (event === undefined) return;
  const cells = toCells(event);
  if (cells === undefined) return;
  binaryPlay(cells, event.record.ts, out);
  times.add(event.record.ts);
}

/**
 * Lines still as bytes: runs of them through PlayBytes.lines (on WebAssembly), each line it stops at through
 * PlayBytes.line, or decoded and through the reference path when that declines too.
 */
function rawLines(item: RawLines, file: string, out: ByteOut): void {
  const b = item.bytes;
  const decoded: (TextLine | BadLine)[] = [];
  let line = item.line;
  fast.stage(b, item.start, item.end);
  for (let s = item.start; ;) {
    s = fast.lines(b, s, item.end, out);
    line += fast.linesTaken;
    if (s === item.end) return;
    let nl = b.indexOf(NEWLINE, s);
    if (nl === -1 || nl > item.end) nl = item.end;
    if (nl > s && !fast.line(b, s, nl, out)) {
      decodeLine(b.subarray(s, nl), line, decoded);
      for (const d of decoded.splice(0)) slowLine(d, file, out);
    }
    if (nl === item.end) return;
    s = nl + 1;
    line++;
  }
}

/**
 * The rows written into `out`, with the counts and rejects since the last message. The bytes are moved to the main
 * thread rather than copied; their buffer comes back once COPY has written them. Waits while this worker is more than
 * its credit ahead.
 */
async function sendRows(out: ByteOut): Promise<void> {
  if (out.length === 0) {
    // Nothing to load (only other pages, or rejects): the counts and rejects travel, the buffer stays.
    spare.push(out.buffer.buffer);
    send({ kind: 'rows', rows: new Uint8Array(0), times: new Uint8Array(0), ...take() });
    return;
  }
  // Credit counts whole buffers, so that it bounds the memory they hold (their size taken before the transfer, which
  // leaves this side's view empty).
  const bytes = new Uint8Array(out.buffer.buffer, 0, out.length);
  outstanding += bytes.buffer.byteLength;
  mostAhead = Math.max(mostAhead, outstanding);
  const timeRows = times.take();
  send({ kind: 'rows', rows: bytes, times: timeRows, ...take() }, [bytes.buffer, timeRows.buffer]);
  while (outstanding > input.aheadBytes) await new Promise<void>((resolve) => (wake = resolve));
}

function arrived(): SongCatalog {
  if (catalog === undefined) throw new Error('the catalog has not arrived');
  return catalog;
}

try {
  // One file at a time, each closed by 'file-end', so the main thread can take the files in order across workers.
  for (const [k, file] of input.files.entries()) {
    fileIndex = input.fileIndexes[k] as number;
    counts.files++;
    times.forget();
    let out = new ByteOut(takeBuffer(rowBufferBytes));
    for await (const items of readLineBatches(file, { chunkBytes: readChunkBytes, raw: true })) {
      for (const item of items) {
        if (item.kind === 'raw') rawLines(item, file, out);
        else slowLine(item, file, out);
      }
      if (out.length >= sendBytes) {
        await sendRows(out);
        out = new ByteOut(takeBuffer(rowBufferBytes));
      }
    }
    await sendRows(out);
    send({ kind: 'file-end', ...take() });
  }
  const columns = users.columns();
  send({ kind: 'users', users: columns, mostAhead }, [columns.userId.buffer, columns.ts.buffer, columns.sessionId.buffer, columns.itemInSession.buffer, columns.fileIndex.buffer]);
} catch (error) {
  send({ kind: 'failed', error: serializeError(error), ...take() });
}
port.close();
