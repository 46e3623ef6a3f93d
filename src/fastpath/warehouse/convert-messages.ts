import type { SerializedError } from '../worker-errors.ts';
import type { S3Config } from '../../storage/s3/s3-config.ts';
import type { StagingTable } from '../../pipelines/warehouse/staging-tables.ts';
import type { JsonFormat } from '../../pipelines/warehouse/copy/json-format.ts';
import type { LoadError } from '../../pipelines/warehouse/copy/load-error.ts';

/** What a conversion worker is started with: the table and how records map to its columns. */
export interface ConvertInit {
  table: StagingTable;
  format: JsonFormat;
  /** The jsonpaths document's text, for the 'jsonpaths' format. */
  jsonPaths?: string;
  /** The bucket the objects come from, for workers that fetch small objects themselves ('objects' requests). */
  s3?: { bucket: string; config: S3Config };
}

/** A request: the next chunk of object `id` (uncompressed bytes, transferred), or its end. */
export type ConvertRequest =
  | { kind: 'chunk'; seq: number; id: number; file: string; bytes: Uint8Array }
  | { kind: 'end'; seq: number; id: number; file: string }
  /** Whole small objects to fetch from the `s3` bucket and convert: one reply for all of them. */
  | { kind: 'objects'; seq: number; objects: { key: string; size: number; file: string }[] };

/** The answer to request `seq`: the chunk's rows as CSV for COPY, its rejected records, and how many rows were repaired. */
export type ConvertReply =
  | { kind: 'batch'; seq: number; csv: Uint8Array<ArrayBuffer>; rows: number; errors: LoadError[]; repaired: number }
  | { kind: 'failed'; seq: number; error: SerializedError };
