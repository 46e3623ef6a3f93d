import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { readEventCsv } from '../../datasets/read-event-csv.ts';
import { readLogEvents, reject, type Located } from '../../datasets/read-log-events.ts';
import type { LineOptions } from '../../datasets/read-lines.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import { toPlay, type Play, type PlaySourceRecord } from './play.ts';

/** Where plays come from: the course's event CSV files, or the JSON logs they were made from. */
export interface PlaySource {
  kind: 'events' | 'logs';
  root: string;
  files: string[];
}

/**
 * Streams the plays of a source. `counts` ends with read = loaded + quarantined + filtered, where loaded counts
 * the plays handed on: bad records and NextSong events that cannot make a play go to `quarantine` with file:line.
 */
export async function* readPlays(source: PlaySource, quarantine: QuarantineSink, counts: SourceCounts,
  options: LineOptions = {}): AsyncGenerator<Located<Play>> {
  const records: AsyncIterable<Located<PlaySourceRecord>> = source.kind === 'events'
    ? readEventCsv(source.files, quarantine, counts, options)
    : readLogEvents(source.files, quarantine, counts, options);
  for await (const { record, file, line, raw } of records) {
    const play = toPlay(record);
    if (play === 'filtered') {
      counts.filtered++;
      continue;
    }
    if ('reason' in play) {
      reject(quarantine, counts, file, line, play.field, play.reason, raw);
      continue;
    }
    counts.loaded++;
    yield { record: play, file, line, raw };
  }
}
