/**
 * Worker thread: converts object chunks into COPY CSV rows (csv-records.ts), for several objects at once (one
 * CsvRecordConverter each, keyed by the object's id). See ConvertPool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../worker-errors.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import type { ConvertInit, ConvertReply, ConvertRequest } from './convert-messages.ts';
import { csvBatches, CsvRecordConverter, type EncodedBatch } from '../../pipelines/warehouse/copy/csv-records.ts';
import { extractorFor } from '../../pipelines/warehouse/copy/json-format.ts';
import { RecordBytes } from './record-bytes.ts';

const port = parentPort;
if (port === null) throw new Error('convert-worker.ts runs as a worker thread');
const init = workerData as ConvertInit;
const extract = extractorFor(init.format, init.table.columns, init.jsonPaths);
const fast = RecordBytes.for(init.table.columns, init.format, init.jsonPaths);
const converters = new Map<number, CsvRecordConverter>();

/** The reply, its CSV bytes moved rather than copied (they sit in an ArrayBuffer of their own). */
function send(seq: number, batch: EncodedBatch): void {
  port?.postMessage({ kind: 'batch', seq, ...batch } satisfies ConvertReply, [batch.csv.buffer]);
}

let store: Promise<ObjectStore> | undefined;

/**
 * Whole small objects, fetched here at once with this thread's own S3 client (the requests' CPU then runs beside the
 * main thread's) and converted as csvBatches does: all their batches joined into one reply, in the order given.
 */
async function convertObjects(request: Extract<ConvertRequest, { kind: 'objects' }>): Promise<EncodedBatch> {
  const s3 = init.s3;
  if (s3 === undefined) throw new Error('object requests need the bucket in the worker data');
  // Opened on the first such request (one store for all, however many arrive at once): workers that only convert
  // never load the SDK.
  store ??= import('../../storage/s3/s3-store.ts').then(({ S3Store }) => new S3Store(s3.bucket, s3.config));
  const open = await store;
  const each = await Promise.all(request.objects.map(async (o) => {
    const batches: EncodedBatch[] = [];
    for await (const batch of csvBatches(open.get(o.key, o.size), o.file, init.table, extract, fast)) batches.push(batch);
    return batches;
  }));
  const batches = each.flat();
  if (batches.length === 1) return batches[0] as EncodedBatch;
  const csv = new Uint8Array(batches.reduce((n, b) => n + b.csv.length, 0));
  let at = 0;
  for (const b of batches) {
    csv.set(b.csv, at);
    at += b.csv.length;
  }
  return { csv, rows: batches.reduce((n, b) => n + b.rows, 0), errors: batches.flatMap((b) => b.errors), repaired: batches.reduce((n, b) => n + b.repaired, 0) };
}

port.on('message', (request: ConvertRequest) => {
  if (request.kind === 'objects') {
    convertObjects(request).then(
      (batch) => send(request.seq, batch),
      (error: unknown) => port.postMessage({ kind: 'failed', seq: request.seq, error: serializeError(error) } satisfies ConvertReply),
    );
    return;
  }
  let batch: EncodedBatch;
  try {
    let converter = converters.get(request.id);
    if (converter === undefined) {
      converter = new CsvRecordConverter(request.file, init.table, extract, fast);
      converters.set(request.id, converter);
    }
    if (request.kind === 'chunk') {
      batch = converter.push(request.bytes);
    } else {
      converters.delete(request.id);
      batch = converter.end();
    }
  } catch (error) {
    port.postMessage({ kind: 'failed', seq: request.seq, error: serializeError(error) } satisfies ConvertReply);
    return;
  }
  send(request.seq, batch);
});
