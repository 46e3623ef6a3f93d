import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { SparkifyError } from '../../core/errors.ts';
import { silentProgress, type Progress } from '../../core/progress.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import { playColumns, type Play } from './play.ts';
import { readPlays, type PlaySource } from './read-plays.ts';

export interface ConsolidateResult {
  outFile: string;
  rows: number;
  source: SourceCounts;
}

/**
 * Writes the course's denormalised event file (event_datafile_new.csv): a header, then one row per play with
 * the 11 columns of `playColumns`, every cell quoted as the course's csv.QUOTE_ALL dialect does (a null is an
 * empty, unquoted cell). Written to a temporary name and renamed, so a failed run never leaves half a file.
 */
export async function consolidateEvents(source: PlaySource, outFile: string, quarantine: QuarantineSink,
  progress: Progress = silentProgress): Promise<ConsolidateResult> {
  const counts = emptyCounts(source.kind);
  const partial = `${outFile}.partial-${process.pid}`;
  await mkdir(dirname(outFile), { recursive: true });
  const out = createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => out.once('error', (cause) =>
    reject(new SparkifyError('SPK_E_LOAD_FAILED', `cannot write ${outFile}: ${cause.message}`, { cause }))));
  failed.catch(() => undefined);
  try {
    let buffer = `${playColumns.map(quote).join(',')}\r\n`;
    let rows = 0;
    for await (const { record } of readPlays(source, quarantine, counts)) {
      buffer += csvRow(record);
      if (++rows % 2000 === 0) {
        if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
        buffer = '';
        progress.update(`consolidating (file ${counts.files}/${source.files.length})`, rows);
      }
    }
    out.end(buffer);
    await Promise.race([once(out, 'finish'), failed]);
    await rename(partial, outFile);
    progress.done(`wrote ${rows.toLocaleString('en-US')} plays to ${outFile}`);
    return { outFile, rows, source: counts };
  } catch (error) {
    // The file may still be opening (an input that fails at once): wait for the stream to close, or the open would
    // create the partial file after it was removed.
    const closed = out.closed ? Promise.resolve() : new Promise<void>((resolve) => out.once('close', () => resolve()));
    out.destroy();
    await closed;
    await rm(partial, { force: true });
    throw error;
  }
}

/** CRLF line ends, like Python's csv module writes them. */
function csvRow(p: Play): string {
  let line = '';
  for (let i = 0; i < playColumns.length; i++) {
    const v = p[playColumns[i] as keyof Play];
    if (i > 0) line += ',';
    if (v !== null) line += quote(String(v));
  }
  return `${line}\r\n`;
}

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
