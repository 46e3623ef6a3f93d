import type { QuarantineRecord, QuarantineSink } from '../../datasets/quarantine.ts';
import type { Located } from '../../datasets/read-log-events.ts';
import { readSongs } from '../../datasets/read-songs.ts';
import type { SongRecord } from '../../datasets/schemas.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';

type Item = { record: Located<SongRecord> } | { reject: QuarantineRecord };

/**
 * readSongs over many files, reading a few files ahead. Song files hold one small record each, and reading one costs
 * a handful of round trips to the thread pool (open, read, read, close): taken one file after the other, the process
 * waits most of the time. Records come out in file order, in batches, and quarantine records reach `quarantine` in
 * file order too: exactly what readSongs over all the files gives. A file read ahead holds at most `perFile` records
 * before it waits for its turn (its rejected objects, which are rare, are kept until then).
 */
export async function* readSongsAhead(
  files: readonly string[],
  quarantine: QuarantineSink,
  counts: SourceCounts,
  ahead = 16,
  perFile = 256,
  batchSize = 1000,
): AsyncGenerator<Located<SongRecord>[]> {
  const reading: AheadFile[] = [];
  let next = 0;
  const fill = () => {
    while (next < files.length && reading.length < ahead) reading.push(new AheadFile(files[next++] as string, counts, perFile));
  };
  fill();
  // Batches span files: one COPY chunk per song file would be ten thousand tiny writes.
  let batch: Located<SongRecord>[] = [];
  while (reading.length > 0) {
    const head = reading[0] as AheadFile;
    const items = await head.take();
    if (items === undefined) {
      reading.shift();
      fill();
      continue;
    }
    for (const item of items) {
      if ('reject' in item) quarantine.add(item.reject);
      else batch.push(item.record);
    }
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** One file being read in the background into a bounded queue. */
class AheadFile {
  private queue: Item[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeTaker: (() => void) | undefined;
  private readonly perFile: number;

  constructor(file: string, counts: SourceCounts, perFile: number) {
    this.perFile = perFile;
    void this.read(file, counts);
  }

  /** The items read so far (waiting for some when there are none), or undefined once the file is done. */
  async take(): Promise<Item[] | undefined> {
    while (this.queue.length === 0 && !this.finished) await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    if (this.queue.length === 0) {
      if (this.failure) throw this.failure.error;
      return undefined;
    }
    const items = this.queue;
    this.queue = [];
    this.wake('reader');
    return items;
  }

  private async read(file: string, counts: SourceCounts): Promise<void> {
    const sink: QuarantineSink = {
      add: (reject) => this.push({ reject }),
      count: () => 0,
      total: 0,
      close: async () => {},
    };
    try {
      for await (const record of readSongs([file], sink, counts)) {
        this.push({ record });
        while (this.queue.length >= this.perFile) await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    } catch (error) {
      // Kept for take(), which throws it in file order: an error must not surface before the files ahead of it.
      this.failure = { error };
    }
    this.finished = true;
    this.wake('taker');
  }

  private push(item: Item): void {
    this.queue.push(item);
    this.wake('taker');
  }

  private wake(who: 'reader' | 'taker'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeTaker;
    if (who === 'reader') this.wakeReader = undefined;
    else this.wakeTaker = undefined;
    wake?.();
  }
}
