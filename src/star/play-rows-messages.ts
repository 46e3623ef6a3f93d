import type { QuarantineRecord } from '../datasets/quarantine.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';
import type { SerializedError } from '../core/worker-errors.ts';
import type { UserColumns } from './latest-users.ts';
import type { CatalogRow } from './song-catalog.ts';

/**
 * What a play-rows worker sends: songplay rows for binary COPY, in input order, 'file-end' after each of its files, and once
 * all are done, the latest play of each user it saw; the other messages carry the quarantine records and the changes
 * to the counts since the previous one.
 */
export type WorkerMessage =
  /** Binary COPY rows, transferred (not copied): the main thread writes them to COPY as they are; with the time rows of
   * their plays not written before (transferred too), which the main thread spools for their own COPY. */
  | { kind: 'rows'; rows: Uint8Array; times: Uint8Array; rejects: QuarantineRecord[]; counts: SourceCounts }
  | { kind: 'file-end'; rejects: QuarantineRecord[]; counts: SourceCounts }
  /** With the most buffer bytes the worker had out (sent, not credited) at once. */
  | { kind: 'users'; users: UserColumns; mostAhead: number }
  | { kind: 'failed'; error: SerializedError; rejects: QuarantineRecord[]; counts: SourceCounts };

/**
 * The main thread's messages: the catalog once (the worker waits for it), then credit: this many
 * bytes of buffers were consumed, the worker may read that much further.
 */
export type MainMessage =
  | { kind: 'catalog'; rows: readonly CatalogRow[] }
  | { kind: 'credit'; consumed: number }
  /** A buffer of an earlier 'rows' message, which COPY has written: the worker encodes into it again. */
  | { kind: 'buffer'; buffer: ArrayBuffer };

export interface WorkerInput {
  /** This worker's share of the files, in input order, and where each stands in the whole load's files. */
  files: readonly string[];
  fileIndexes: readonly number[];
  /** Bytes of buffers (the whole buffer each chunk of rows travels in) the worker may have sent and not been credited for. */
  aheadBytes: number;
}
