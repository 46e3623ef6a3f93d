import { Worker } from 'node:worker_threads';
import { SparkifyError } from '../../core/errors.ts';
import { revive } from '../worker-errors.ts';
import { defaultWorkerThreads, workerResourceLimits } from '../worker-threads.ts';
import type { ConvertInit, ConvertReply, ConvertRequest } from './convert-messages.ts';
import { gunzipIfCompressed } from '../../pipelines/warehouse/copy/copy-records.ts';
import type { EncodedBatch } from '../../pipelines/warehouse/copy/csv-records.ts';

/**
 * What a worker is sent at a time: 1 MiB, since smaller messages cost more CPU
 * (docs/decisions/2026-12-01-warehouse-conversion-workers.md).
 */
const chunkBytes = 1024 * 1024;

/**
 * Worker threads that convert objects for COPY, so that parsing, COPY's type rules and CSV encoding (the costliest
 * part of staging) leave the main thread, which keeps the reads from the store and the engine's COPY. An object is
 * bound to one worker, which keeps its splitting state; its chunks go there one at a time (the next is read from the
 * store while this one converts), and many objects are converted at once across the workers. Gzip is undone on the
 * main thread (rare, and it keeps the workers synchronous).
 */
export class ConvertPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (reply: ConvertReply) => void; reject: (error: unknown) => void; worker: Worker }>();
  private seq = 0;
  private nextObject = 0;
  private failure: unknown;

  constructor(init: ConvertInit, workers = defaultWorkerThreads()) {
    this.workers = Array.from({ length: Math.max(1, workers) }, () => {
      const worker = new Worker(new URL('./convert-worker.ts', import.meta.url), { workerData: init, resourceLimits: workerResourceLimits });
      worker.on('message', (reply: ConvertReply) => {
        const waiting = this.pending.get(reply.seq);
        this.pending.delete(reply.seq);
        waiting?.resolve(reply);
      });
      const fail = (error: unknown) => {
        this.failure ??= error;
        for (const [seq, waiting] of this.pending) {
          if (waiting.worker !== worker) continue;
          this.pending.delete(seq);
          waiting.reject(error);
        }
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new SparkifyError('SPK_E_LOAD_FAILED', `a COPY conversion worker stopped (exit code ${code})`)));
      return worker;
    });
  }

  /** What csvBatches gives for the object's bytes, converted on a worker. */
  async *batches(bytes: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<EncodedBatch> {
    const id = this.nextObject++;
    const worker = this.workers[id % this.workers.length] as Worker;
    let ended = false;
    try {
      for await (const chunk of coalesced(gunzipIfCompressed(bytes, file), chunkBytes)) {
        const own = ownBuffer(chunk);
        const batch = await this.ask(worker, { kind: 'chunk', seq: this.seq++, id, file, bytes: own }, [own.buffer as ArrayBuffer]);
        if (batch.rows + batch.errors.length > 0) yield batch;
      }
      ended = true;
      const last = await this.ask(worker, { kind: 'end', seq: this.seq++, id, file }, []);
      if (last.rows + last.errors.length > 0) yield last;
    } finally {
      // An object abandoned midway (the COPY stopped) still frees its converter in the worker.
      if (!ended && this.failure === undefined) void this.ask(worker, { kind: 'end', seq: this.seq++, id, file }, []).catch(() => undefined);
    }
  }

  /** Whole small objects fetched (all at once) and converted by a worker with its own S3 client (ConvertInit.s3). */
  objectsBatch(objects: { key: string; size: number; file: string }[]): Promise<EncodedBatch> {
    const worker = this.workers[this.nextObject++ % this.workers.length] as Worker;
    return this.ask(worker, { kind: 'objects', seq: this.seq++, objects }, []);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private ask(worker: Worker, request: ConvertRequest, transfer: ArrayBuffer[]): Promise<EncodedBatch> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ConvertReply>((resolve, reject) => {
      this.pending.set(request.seq, { resolve, reject, worker });
      worker.postMessage(request, transfer);
    }).then((reply) => {
      if (reply.kind === 'failed') throw revive(reply.error);
      return { csv: reply.csv, rows: reply.rows, errors: reply.errors, repaired: reply.repaired };
    });
  }
}

/**
 * The chunk in an ArrayBuffer it alone uses, so that the buffer can move to a worker: a Buffer may be a slice of
 * Node's shared pool or of a stream's larger buffer, and those are copied.
 */
function ownBuffer(chunk: Uint8Array): Uint8Array {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && !(chunk.buffer instanceof SharedArrayBuffer) ? chunk : new Uint8Array(chunk);
}

/**
 * The stream's chunks joined into pieces of at least `bytes` (the last may be smaller), each in a buffer of its own:
 * a network stream's 64 KiB chunks would each be a message to a worker and a reply, and those cost more than the copy.
 */
export async function* coalesced(chunks: AsyncIterable<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  let piece = new Uint8Array(bytes);
  let filled = 0;
  for await (const chunk of chunks) {
    if (filled === 0 && chunk.length >= bytes) {
      yield chunk;
      continue;
    }
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(bytes - filled, chunk.length - at);
      piece.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === bytes) {
        yield piece;
        piece = new Uint8Array(bytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield piece.subarray(0, filled);
}
