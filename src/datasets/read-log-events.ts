import { validateObject } from './field-spec.ts';
import type { QuarantineSink } from './quarantine.ts';
import { readLines, type LineOptions } from './read-lines.ts';
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
  for (const file of files) {
    counts.files++;
    for await (const item of readLines(file, options)) {
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
      yield { record: result.record, file, line: item.line, raw: item.text };
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
  quarantine.add({ source: counts.source, file, line, field, reason, raw });
}
