import { validateObject } from './field-spec.ts';
import type { QuarantineSink } from './quarantine.ts';
import { readLineBatches, type LineOptions } from './read-lines.ts';
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
  for (const file of files) {
    counts.files++;
    for await (const lines of readLineBatches(file, options)) {
      const events: Located<LogEvent>[] = [];
      for (const item of lines) {
        counts.read++;
        if (item.kind === 'bad') {
          reject(quarantine, counts, file, item.line, '', item.reason, item.raw);
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(item.text);
        } catch (error) {
          reject(quarantine, counts, file, item.line, '', `not valid JSON: ${(error as Error).message}`, item.text);
          continue;
        }
        const result = validateObject<LogEvent>(parsed, logEventFields);
        if (!result.ok) {
          reject(quarantine, counts, file, item.line, result.problem.field, result.problem.reason, item.text);
          continue;
        }
        if (item.repairs.length > 0 || result.coerced.length > 0) counts.repaired++;
        events.push({ record: result.record, file, line: item.line, raw: item.text });
      }
      if (events.length > 0) yield events;
    }
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
