import { validateObject } from './field-spec.ts';
import { reject, type Located } from './read-log-events.ts';
import type { QuarantineSink } from './quarantine.ts';
import { songFields, type SongRecord } from './schemas.ts';
import { splitJsonObjects } from './split-json-objects.ts';
import type { SourceCounts } from './source-counts.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/**
 * Streams valid song records from Million-Song-Dataset files. A file may hold several concatenated objects
 * (the large sample has one such file); every object counts as one record read.
 */
export async function* readSongs(
  files: readonly string[],
  quarantine: QuarantineSink,
  counts: SourceCounts,
): AsyncGenerator<Located<SongRecord>> {
  for (const file of files) {
    counts.files++;
    for await (const piece of splitJsonObjects(file)) {
      counts.read++;
      if (piece.kind === 'bad') {
        reject(quarantine, counts, file, piece.line, '', piece.reason, piece.raw);
        continue;
      }
      let text: string;
      try {
        text = decoder.decode(piece.bytes);
      } catch {
        reject(quarantine, counts, file, piece.line, '', 'invalid UTF-8', lossy.decode(piece.bytes));
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        reject(quarantine, counts, file, piece.line, '', `not valid JSON: ${(error as Error).message}`, text);
        continue;
      }
      const result = validateObject<SongRecord>(parsed, songFields);
      if (!result.ok) {
        reject(quarantine, counts, file, piece.line, result.problem.field, result.problem.reason, text);
        continue;
      }
      if (piece.repairs.length > 0 || result.coerced.length > 0) counts.repaired++;
      yield { record: result.record, file, line: piece.line, raw: text };
    }
  }
}
