import type { QuarantineRecord } from '../../datasets/quarantine.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import type { SerializedError } from '../worker-errors.ts';
import type { UserColumns } from '../../pipelines/star-load/latest-users.ts';
import type { CatalogRow } from '../../pipelines/star-load/song-catalog.ts';

/**
 * How much of a file a worker reads at a time: 128 KiB rather than the readers' default 1 MiB, since each read becomes
 * one batch and smaller ones die young: a lower peak RSS at no cost in speed, where smaller reads are slower
 * (docs/decisions/2026-12-01-star-worker-memory-bounds.md).
 */
export const readChunkBytes = 128 * 1024;

/**
 * A worker sends its rows once it has this many bytes of them, or at a file's end: a message costs the worker and the
 * main thread each some CPU, and a read's plays make well under this in rows; bigger messages only hold more memory
 * (docs/decisions/2026-12-01-worker-messages-per-256-kib.md).
 */
export const sendBytes = 256 * 1024;

/** What a worker's rows are written into: room for sendBytes and a read's rows after them (grown for a long line). */
export const rowBufferBytes = sendBytes + readChunkBytes + 16 * 1024;

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
  /** Where PlayBytes scans lines: on WebAssembly when the module is built, or in JavaScript (the plan's choice). */
  scan?: 'wasm' | 'js';
}
