/**
 * Worker thread: converts object chunks into COPY rows (copy-records.ts) and CSV, for several objects at once (one
 * RecordConverter each, keyed by the object's id). See ConvertPool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../core/worker-errors.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { copyBatches, encodeBatch, RecordConverter, type CopyBatch, type EncodedBatch } from './copy-records.ts';
import type { ConvertInit, ConvertReply, ConvertRequest } from './convert-messages.ts';
import { extractorFor } from './json-format.ts';

const port = parentPort;
if (port === null) throw new Error('convert-worker.ts runs as a worker thread');
const init = workerData as ConvertInit;
const extract = extractorFor(init.format, init.table.columns, init.jsonPaths);
const converters = new Map<number, RecordConverter>();

function encode(seq: number, batch: CopyBatch): ConvertReply {
  return { kind: 'batch', seq, ...encodeBatch(batch) };
}

let store: Promise<ObjectStore> | undefined;

/**
 * A whole small object, fetched here with this thread's own S3 client (the SDK's per-request work, about 0.65 ms of
 * CPU, then runs beside the main thread's) and converted as copyBatches does: its batches joined into one reply.
 */
async function convertObject(request: Extract<ConvertRequest, { kind: 'object' }>): Promise<ConvertReply> {
  const s3 = init.s3;
  if (s3 === undefined) throw new Error('object requests need the bucket in the worker data');
  // Opened on the first such request (one store for all, however many arrive at once): workers that only convert
  // never load the SDK.
  store ??= import('../../storage/s3/s3-store.ts').then(({ S3Store }) => new S3Store(s3.bucket, s3.config));
  const joined: EncodedBatch = { csv: '', rows: 0, errors: [] };
  for await (const batch of copyBatches((await store).get(request.key, request.size), request.file, init.table, extract)) {
    const encoded = encodeBatch(batch);
    joined.csv += encoded.csv;
    joined.rows += encoded.rows;
    joined.errors.push(...encoded.errors);
  }
  return { kind: 'batch', seq: request.seq, ...joined };
}

port.on('message', (request: ConvertRequest) => {
  if (request.kind === 'object') {
    convertObject(request).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ kind: 'failed', seq: request.seq, error: serializeError(error) } satisfies ConvertReply),
    );
    return;
  }
  let reply: ConvertReply;
  try {
    let converter = converters.get(request.id);
    if (converter === undefined) {
      converter = new RecordConverter(request.file, init.table, extract);
      converters.set(request.id, converter);
    }
    if (request.kind === 'chunk') {
      reply = encode(request.seq, converter.push(request.bytes));
    } else {
      converters.delete(request.id);
      reply = encode(request.seq, converter.end());
    }
  } catch (error) {
    reply = { kind: 'failed', seq: request.seq, error: serializeError(error) };
  }
  port.postMessage(reply);
});
