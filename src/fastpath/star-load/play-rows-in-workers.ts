import { Worker } from 'node:worker_threads';
import { SparkifyError } from '../../core/errors.ts';
import type { CsvChunk } from '../../engines/engine.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { addCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import { revive } from '../worker-errors.ts';
import { defaultWorkerThreads, workerResourceLimits } from '../worker-threads.ts';
import { LatestUsers } from '../../pipelines/star-load/latest-users.ts';
import type { PlayRows } from '../../pipelines/star-load/play-rows.ts';
import type { MainMessage, WorkerInput, WorkerMessage } from './play-rows-messages.ts';
import type { SongCatalog } from '../../pipelines/star-load/song-catalog.ts';
import { TimeSpool } from '../../pipelines/star-load/time-rows.ts';

/**
 * Reads, validates, matches and encodes the plays in worker threads, started while the main thread stages the songs
 * (a worker is slow to start) and given the catalog when it is read; they then work beside the COPY. Parsing JSON is
 * the costliest part of a load, and one thread parses less than the server takes in
 * (docs/decisions/2026-11-25-star-parsing-on-worker-threads.md). Worker k of n takes files k, k + n, k + 2n, …, and
 * the chunks are handed out file by file in input order, so the result is exactly what playRowsOnMainThread gives: the
 * same rows, the same counts, the same quarantine records in the same order (added here, as their rows are consumed),
 * the same latest users (each worker's, merged at the end: the tie-break is the file's index), and the first failure
 * in input order. Each worker runs at most `aheadBytes` bytes of buffers ahead of the consumer, which bounds the
 * memory held whatever the input's size; `release` hands a written chunk's buffer back.
 */
export function playRowsInWorkers(
  files: readonly string[],
  counts: SourceCounts,
  quarantine: QuarantineSink,
  options: { workers?: number; aheadBytes?: number; scan?: 'wasm' | 'js' } = {},
): PlayRows & { readonly mostAheadBytes: number } {
  const n = Math.max(1, Math.min(options.workers ?? defaultWorkerThreads(), files.length));
  const aheadBytes = options.aheadBytes ?? 4 * 1024 * 1024;
  const lanes = Array.from({ length: n }, (_, k) => new Lane({ files: files.filter((_, i) => i % n === k), fileIndexes: files.map((_, i) => i).filter((i) => i % n === k), aheadBytes, ...(options.scan === undefined ? {} : { scan: options.scan }) }));
  const users = new LatestUsers();
  const times = new TimeSpool();
  let mostAhead = 0;
  // Which worker each byte chunk came from, to hand its buffer back.
  const owners = new WeakMap<ArrayBuffer, Lane>();
  const closeWorkers = async () => {
    await Promise.all(lanes.map((lane) => lane.close()));
  };

  async function* chunks(): AsyncGenerator<CsvChunk> {
    try {
      for (let i = 0; i < files.length; i++) {
        const lane = lanes[i % n] as Lane;
        for (;;) {
          const message = await lane.next();
          if (message.kind === 'users') throw new SparkifyError('SPK_E_LOAD_FAILED', 'a play-rows worker sent its users before its last file');
          for (const record of message.rejects) quarantine.add(record);
          addCounts(counts, message.counts);
          if (message.kind === 'failed') throw revive(message.error);
          if (message.kind === 'file-end') break;
          times.write(message.times);
          if (message.rows.byteLength === 0) continue;
          lane.send({ kind: 'credit', consumed: message.rows.buffer.byteLength });
          owners.set(message.rows.buffer as ArrayBuffer, lane);
          yield message.rows;
        }
      }
      for (const lane of lanes) {
        const message = await lane.next();
        if (message.kind !== 'users') throw new SparkifyError('SPK_E_LOAD_FAILED', `a play-rows worker sent '${message.kind}' after its last file`);
        users.merge(message.users);
        mostAhead = Math.max(mostAhead, message.mostAhead);
      }
    } finally {
      await closeWorkers();
    }
  }

  return {
    users,
    times,
    start: (catalog: SongCatalog) => {
      for (const lane of lanes) lane.send({ kind: 'catalog', rows: catalog.rows });
    },
    chunks,
    release: (chunk: Uint8Array) => {
      const buffer = chunk.buffer as ArrayBuffer;
      const lane = owners.get(buffer);
      if (lane === undefined) return;
      owners.delete(buffer);
      lane.send({ kind: 'buffer', buffer }, [buffer]);
    },
    close: async () => {
      times.close();
      await closeWorkers();
    },
    /** The most buffer bytes any worker had out at once (known once chunks() has ended): credit keeps it near aheadBytes. */
    get mostAheadBytes() {
      return mostAhead;
    },
  };
}

/** One worker and the messages it has sent that are not yet taken. */
class Lane {
  private readonly worker: Worker;
  private readonly inbox: WorkerMessage[] = [];
  private failure: unknown;
  private exited = false;
  private wake: (() => void) | undefined;

  constructor(input: WorkerInput) {
    this.worker = new Worker(new URL('./play-rows-worker.ts', import.meta.url), { workerData: input, resourceLimits: workerResourceLimits });
    this.worker.on('message', (message: WorkerMessage) => {
      this.inbox.push(message);
      this.notify();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.notify();
    });
  }

  async next(): Promise<WorkerMessage> {
    for (;;) {
      const message = this.inbox.shift();
      if (message !== undefined) return message;
      if (this.failure !== undefined) throw this.failure;
      if (this.exited) throw new SparkifyError('SPK_E_LOAD_FAILED', 'a play-rows worker stopped without finishing');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  send(message: MainMessage, transfer: ArrayBuffer[] = []): void {
    if (!this.exited) this.worker.postMessage(message, transfer);
  }

  async close(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
