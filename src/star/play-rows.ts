import { csvBatchChunks } from '../core/csv-text.ts';
import type { CsvChunk } from '../engines/engine.ts';
import type { QuarantineSink } from '../datasets/quarantine.ts';
import { readLogEventBatches } from '../datasets/read-log-events.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';
import { LatestUsers } from './latest-users.ts';
import type { SongCatalog } from './song-catalog.ts';
import { playCells } from './staging-rules.ts';

/**
 * The plays of a load's log files, matched to the catalog, as CSV for COPY into songplays (or stage_songplays), and
 * each user's latest play. Created before the catalog exists (a worker-thread source starts reading at once); the
 * rows flow once `start` has handed the catalog over.
 */
export interface PlayRows {
  start(catalog: SongCatalog): void;
  /** The CSV chunks in input order; `counts` and `quarantine` follow as they are consumed. */
  chunks(): AsyncGenerator<CsvChunk>;
  /** Each user's latest play, complete once chunks() has ended. */
  readonly users: LatestUsers;
  /** A byte chunk of chunks() that COPY has written (engines that can tell say so): its memory may be reused. */
  release(chunk: Uint8Array): void;
  /** Stops any worker (idempotent); chunks() does it when it ends, the caller when it never gets there. */
  close(): Promise<void>;
}

/** The plays read, validated and encoded on this thread: for inputs too small to repay a worker's start-up. */
export function playRowsOnMainThread(files: readonly string[], counts: SourceCounts, quarantine: QuarantineSink): PlayRows {
  let catalog: SongCatalog | undefined;
  const users = new LatestUsers();
  return {
    users,
    start: (c) => (catalog = c),
    async *chunks() {
      if (catalog === undefined) throw new Error('PlayRows.chunks() before start()');
      yield* csvBatchChunks(readLogEventBatches(files, quarantine, counts), playCells(catalog, users, counts, quarantine));
    },
    release: () => {},
    close: async () => {},
  };
}
