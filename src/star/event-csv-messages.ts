import type { QuarantineRecord } from '../datasets/quarantine.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';

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

/** An error as plain data: errors cross threads without their class or extra fields (code, details). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: SerializedError;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = error as Error & { code?: unknown; retryable?: unknown; details?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.retryable === 'boolean' ? { retryable: fields.retryable } : {}),
    ...(fields.details !== null && typeof fields.details === 'object' ? { details: fields.details as Record<string, unknown> } : {}),
    ...(error.cause === undefined ? {} : { cause: serializeError(error.cause) }),
  };
}
