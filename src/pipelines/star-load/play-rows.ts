import type { CsvChunk } from '../../engines/engine.ts';
import type { QuarantineRecord, QuarantineSink } from '../../datasets/quarantine.ts';
import { readLogEventBatches, type Located } from '../../datasets/read-log-events.ts';
import type { LogEvent } from '../../datasets/schemas.ts';
import { addCounts, emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import { LatestUsers } from './latest-users.ts';
import type { SongCatalog } from './song-catalog.ts';
import { binaryPlay, ByteOut } from './binary-rows.ts';
import { playCells } from './staging-rules.ts';
import { TimeRows, TimeSpool } from './time-rows.ts';

/**
 * The plays of a load's log files, matched to the catalog, as binary COPY rows for songplays (or stage_songplays), and
 * each user's latest play. Created before the catalog exists (a worker-thread source starts reading at once); the
 * rows flow once `start` has handed the catalog over.
 */
export interface PlayRows {
  start(catalog: SongCatalog): void;
  /** The plays as binary COPY rows (no header or trailer: the engine adds them), in input order; `counts` and
   * `quarantine` follow as they are consumed. */
  chunks(): AsyncGenerator<CsvChunk>;
  /** Each user's latest play, complete once chunks() has ended. */
  readonly users: LatestUsers;
  /** The plays' time rows (binary COPY rows of `time`, one per distinct timestamp of a file), complete once chunks() has
   * ended; close() removes them. */
  readonly times: TimeSpool;
  /** A byte chunk of chunks() that COPY has written (engines that can tell say so): its memory may be reused. */
  release(chunk: Uint8Array): void;
  /** Stops any worker (idempotent); chunks() does it when it ends, the caller when it never gets there. */
  close(): Promise<void>;
}

/**
 * How much event text the main-thread path parses ahead, before the catalog exists, while the load waits on the
 * server (connecting, the schema, the songs): all of a small input (the course sample is 3.8 MB), a bounded share of
 * a bigger one (the parsed events are held in memory until they are encoded).
 */
export const readAheadChars = 16 * 1024 * 1024;

/**
 * The plays read, validated and encoded on this thread: for inputs too small to repay a worker's start-up. The
 * events are read and validated from the start, in the gaps while this thread waits for the server, and matched and
 * encoded once the catalog is there; their rejects and counts are held until they are consumed, so the quarantine
 * and the counts see exactly what they would without reading ahead, in the same order.
 */
export function playRowsOnMainThread(files: readonly string[], counts: SourceCounts, quarantine: QuarantineSink, aheadChars = readAheadChars): PlayRows {
  let catalog: SongCatalog | undefined;
  const users = new LatestUsers();
  const times = new TimeSpool();
  const events = new EventsReadAhead(files, aheadChars, counts.source);
  return {
    users,
    times,
    start: (c) => (catalog = c),
    async *chunks() {
      if (catalog === undefined) throw new Error('PlayRows.chunks() before start()');
      const toCells = playCells(catalog, users, counts, quarantine);
      const timeRows = new TimeRows();
      let file: string | undefined;
      for await (const batch of events.batches(quarantine, counts)) {
        const out = new ByteOut(new ArrayBuffer(64 * 1024));
        for (const event of batch) {
          const cells = toCells(event);
          if (cells === undefined) continue;
          binaryPlay(cells, event.record.ts, out);
          if (event.file !== file) {
            file = event.file;
            timeRows.forget();
          }
          timeRows.add(event.record.ts);
        }
        times.write(timeRows.take());
        if (out.length > 0) yield out.buffer.subarray(0, out.length);
      }
    },
    release: () => {},
    close: async () => {
      times.close();
      await events.close();
    },
  };
}

interface HeldBatch {
  result: IteratorResult<Located<LogEvent>[]> | { error: unknown };
  rejects: QuarantineRecord[];
  counts: SourceCounts;
}

/**
 * readLogEventBatches read ahead (up to a number of characters of lines), each batch held with the rejects and counts
 * it made until `batches()` hands them on.
 */
export class EventsReadAhead {
  private readonly held: QuarantineRecord[] = [];
  private readonly local: SourceCounts;
  private readonly source: AsyncGenerator<Located<LogEvent>[]>;
  private readonly ahead: HeldBatch[] = [];
  /** Settles when the reading ahead has stopped: everything read, the limit reached, a failure, or close(). */
  readonly pump: Promise<void>;
  private stopped = false;

  constructor(files: readonly string[], aheadChars: number, source: string) {
    this.local = emptyCounts(source);
    const capture: QuarantineSink = { add: (record) => this.held.push(record), count: () => 0, total: 0, close: async () => {} };
    this.source = readLogEventBatches(files, capture, this.local);
    this.pump = this.readAhead(aheadChars);
  }

  private async readAhead(aheadChars: number): Promise<void> {
    let chars = 0;
    while (chars < aheadChars && !this.stopped) {
      const item = await this.next();
      this.ahead.push(item);
      if ('error' in item.result || item.result.done === true) return;
      for (const event of item.result.value) chars += event.raw.length;
      // Small files are read synchronously: without a turn of the event loop between batches, this would hold the
      // thread until the read-ahead is done, and the server's replies (the connection, the schema) would wait for it.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async next(): Promise<HeldBatch> {
    let result: HeldBatch['result'];
    try {
      result = await this.source.next();
    } catch (error) {
      result = { error };
    }
    const counts = { ...this.local };
    Object.assign(this.local, emptyCounts(this.local.source));
    return { result, rejects: this.held.splice(0), counts };
  }

  /** Every batch in order, its rejects and counts handed to `quarantine` and `counts` as it is taken. */
  async *batches(quarantine: QuarantineSink, counts: SourceCounts): AsyncGenerator<Located<LogEvent>[]> {
    await this.pump;
    try {
      for (;;) {
        const item = this.ahead.shift() ?? (await this.next());
        for (const record of item.rejects) quarantine.add(record);
        addCounts(counts, item.counts);
        if ('error' in item.result) throw item.result.error;
        if (item.result.done === true) return;
        yield item.result.value;
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.pump;
    this.ahead.length = 0;
    await this.source.return(undefined);
  }
}
