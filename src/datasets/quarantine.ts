import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';

/** A record the readers could not load, with enough context to find and fix it. */
export interface QuarantineRecord {
  source: string;
  file: string;
  /** 1-based line where the record starts (0 when the problem is the file as a whole). */
  line: number;
  /** The offending field, '' when the record as a whole is bad. */
  field: string;
  reason: string;
  /** The raw text, cut to `rawLimit` characters. */
  raw: string;
}

/** Where rejected records go. `count` is per source so runs can reconcile read = loaded + quarantined + filtered. */
export interface QuarantineSink {
  add(record: QuarantineRecord): void;
  count(source: string): number;
  readonly total: number;
  close(): Promise<void>;
}

export const rawLimit = 2000;

export function clip(raw: string): string {
  return raw.length > rawLimit ? `${raw.slice(0, rawLimit)}…[${raw.length - rawLimit} more chars]` : raw;
}

/** Appends rejects as NDJSON to `path` (created on the first reject, so clean runs leave no file). */
export class NdjsonQuarantine implements QuarantineSink {
  private stream: WriteStream | undefined;
  private readonly counts = new Map<string, number>();
  total = 0;
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  add(record: QuarantineRecord): void {
    if (this.stream === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { flags: 'a' });
    }
    this.stream.write(`${JSON.stringify({ ...record, raw: clip(record.raw) })}\n`);
    this.counts.set(record.source, (this.counts.get(record.source) ?? 0) + 1);
    this.total++;
  }

  count(source: string): number {
    return this.counts.get(source) ?? 0;
  }

  async close(): Promise<void> {
    if (this.stream === undefined) return;
    this.stream.end();
    await once(this.stream, 'finish');
    this.stream = undefined;
  }
}

/** Keeps rejects in memory: for dry runs and tests of the readers themselves. */
export class MemoryQuarantine implements QuarantineSink {
  readonly records: QuarantineRecord[] = [];

  add(record: QuarantineRecord): void {
    this.records.push({ ...record, raw: clip(record.raw) });
  }

  count(source: string): number {
    return this.records.filter((r) => r.source === source).length;
  }

  get total(): number {
    return this.records.length;
  }

  async close(): Promise<void> {}
}
