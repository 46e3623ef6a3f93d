import { validateObject } from './field-spec.ts';
import type { QuarantineSink } from './quarantine.ts';
import { readLineBatches, type BadLine, type LineOptions, type TextLine } from './read-lines.ts';
import { logEventFields, type LogEvent } from './schemas.ts';
import type { SourceCounts } from './source-counts.ts';

/** A validated event with where it came from, so later rules can quarantine it with file:line. */
export interface Located<T> {
  record: T;
  file: string;
  line: number;
  raw: string;
}

/**
 * Streams valid log events from JSON-lines files. Every bad line becomes a quarantine record; `counts.read`
 * and `counts.quarantined` are kept here, `loaded`/`filtered` by whoever consumes the events.
 */
export async function* readLogEvents(
  files: readonly string[],
  quarantine: QuarantineSink,
  counts: SourceCounts,
  options: LineOptions = {},
): AsyncGenerator<Located<LogEvent>> {
  for await (const batch of readLogEventBatches(files, quarantine, counts, options)) yield* batch;
}

/** The events of readLogEvents, a batch per chunk of a file (never empty), for loops that go faster in batches. */
export async function* readLogEventBatches(
  files: readonly string[],
  quarantine: QuarantineSink,
  counts: SourceCounts,
  options: LineOptions = {},
): AsyncGenerator<Located<LogEvent>[]> {
  const open = (file: string) => new ReadAhead(readLineBatches(file, options));
  let next = files.length > 0 ? open(files[0] as string) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as string;
      const current = next as ReadAhead<(TextLine | BadLine)[]>;
      // The next file's first chunk is read while this one is parsed: with many small files (a day each), opening
      // and reading them one after the other left the thread waiting on the file system between files.
      next = i + 1 < files.length ? open(files[i + 1] as string) : undefined;
      counts.files++;
      for await (const lines of current) {
        const events = eventBatch(lines, file, quarantine, counts);
        if (events.length > 0) yield events;
      }
    }
  } finally {
    await next?.close();
  }
}

/** The valid events of one chunk's lines; bad lines are quarantined. */
function eventBatch(lines: (TextLine | BadLine)[], file: string, quarantine: QuarantineSink, counts: SourceCounts): Located<LogEvent>[] {
  const events: Located<LogEvent>[] = [];
  for (const item of lines) {
    const event = lineEvent(item, file, quarantine, counts);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/** One line read: its valid event, or undefined when it was quarantined (counted in `counts` either way). */
export function lineEvent(item: TextLine | BadLine, file: string, quarantine: QuarantineSink, counts: SourceCounts): Located<LogEvent> | undefined {
  counts.read++;
  if (item.kind === 'bad') {
    reject(quarantine, counts, file, item.line, '', item.reason, item.raw);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.text);
  } catch (error) {
    reject(quarantine, counts, file, item.line, '', `not valid JSON: ${(error as Error).message}`, item.text);
    return undefined;
  }
  const result = validateObject<LogEvent>(parsed, logEventFields);
  if (!result.ok) {
    reject(quarantine, counts, file, item.line, result.problem.field, result.problem.reason, item.text);
    return undefined;
  }
  if (item.repairs.length > 0 || result.coerced.length > 0) counts.repaired++;
  return { record: result.record, file, line: item.line, raw: item.text };
}

/**
 * An async iterator whose first item is requested at once, before anyone asks: its reading overlaps other work.
 * A failure is held until that item is asked for, so errors still come in order.
 */
class ReadAhead<T> implements AsyncIterable<T> {
  private readonly iterator: AsyncIterator<T>;
  private first: Promise<IteratorResult<T>> | undefined;

  constructor(iterable: AsyncIterable<T>) {
    this.iterator = iterable[Symbol.asyncIterator]();
    this.first = this.iterator.next();
    this.first.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    const first = this.first;
    this.first = undefined;
    if (first === undefined) throw new Error('ReadAhead is iterated once');
    try {
      for (let result = await first; !result.done; result = await this.iterator.next()) yield result.value;
    } finally {
      await this.iterator.return?.();
    }
  }

  /** Closes the source without reading it (its file, if it was opened); a failure in reading ahead is ignored. */
  async close(): Promise<void> {
    await this.first?.catch(() => undefined);
    await this.iterator.return?.();
  }
}

export function reject(
  quarantine: QuarantineSink,
  counts: SourceCounts,
  file: string,
  line: number,
  field: string,
  reason: string,
  raw: string,
): void {
  counts.quarantined++;
  // A copy: the line may be a slice of the whole chunk it was decoded with, which a quarantine that keeps its
  // records (in memory) would otherwise keep alive, a megabyte per record.
  quarantine.add({ source: counts.source, file, line, field, reason, raw: unshare(raw) });
}

/** A string with storage of its own (not a view into a larger string), without changing its value. */
function unshare(text: string): string {
  return text.length > 12 ? Buffer.from(text, 'utf16le').toString('utf16le') : text;
}
