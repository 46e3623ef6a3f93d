import type { QuarantineRecord } from '../datasets/quarantine.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';
import type { SerializedError } from '../core/worker-errors.ts';

/**
 * What an event-staging worker sends: CSV for COPY, in input order, then 'file-end' after each of its files; every
 * message carries the quarantine records and the changes to the counts since its previous one.
 */
export type WorkerMessage =
  | { kind: 'csv'; csv: string; rejects: QuarantineRecord[]; counts: SourceCounts }
  | { kind: 'file-end'; rejects: QuarantineRecord[]; counts: SourceCounts }
  | { kind: 'failed'; error: SerializedError; rejects: QuarantineRecord[]; counts: SourceCounts };

/** The main thread's answer: this many characters of CSV were consumed, the worker may read that much further. */
export interface CreditMessage {
  consumed: number;
}

export interface WorkerInput {
  /** This worker's share of the files, in input order. */
  files: readonly string[];
  /** Characters of CSV the worker may have sent and not yet been credited for. */
  aheadChars: number;
}
