/**
 * Worker thread: converts object chunks into COPY rows (copy-records.ts) and CSV, for several objects at once (one
 * RecordConverter each, keyed by the object's id). See ConvertPool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvLine } from '../../core/csv-text.ts';
import { serializeError } from '../../core/worker-errors.ts';
import { RecordConverter, type CopyBatch } from './copy-records.ts';
import type { ConvertInit, ConvertReply, ConvertRequest } from './convert-messages.ts';
import { autoExtractor, jsonPathsExtractor, type Extractor } from './json-format.ts';

const port = parentPort;
if (port === null) throw new Error('convert-worker.ts runs as a worker thread');
const init = workerData as ConvertInit;
const extract: Extractor = init.format.mode === 'jsonpaths'
  ? jsonPathsExtractor(init.jsonPaths ?? '', init.table.columns, init.format.url)
  : autoExtractor(init.table.columns, init.format.mode === 'auto ignorecase');
const converters = new Map<number, RecordConverter>();

function encode(seq: number, batch: CopyBatch): ConvertReply {
  let csv = '';
  for (const row of batch.rows) csv += csvLine(row);
  return { kind: 'batch', seq, csv, rows: batch.rows.length, errors: batch.errors };
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
