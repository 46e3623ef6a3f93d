/**
 * Worker thread: converts object chunks into COPY rows (copy-records.ts) and CSV, for several objects at once (one
 * RecordConverter each, keyed by the object's id). See ConvertPool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../core/worker-errors.ts';
import { encodeBatch, RecordConverter, type CopyBatch } from './copy-records.ts';
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

port.on('message', (request: ConvertRequest) => {
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
