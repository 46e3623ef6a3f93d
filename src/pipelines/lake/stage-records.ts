import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Progress } from '../../core/progress.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import { readLogEvents } from '../../datasets/read-log-events.ts';
import { readSongs } from '../../datasets/read-songs.ts';
import { emptyCounts, type SourceCounts } from '../../datasets/source-counts.ts';
import type { Location } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';

/**
 * The input objects as local files the datasets readers stream: a directory's files where they are, S3 objects
 * copied to `spool` first (keys kept, so Hive folders and file names stay). Returns local path → the object's URL.
 */
export async function localFiles(store: ObjectStore, location: Location, extension: string, spool: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const o of store.list(location.prefix)) {
    if (!o.key.endsWith(extension)) continue;
    if (store.kind === 'local') {
      files.set(store.url(o.key), store.url(o.key));
      continue;
    }
    const path = join(spool, o.key);
    await mkdir(dirname(path), { recursive: true });
    await pipeline(Readable.from(store.get(o.key, o.size)), createWriteStream(path));
    files.set(path, store.url(o.key));
  }
  return files;
}

/**
 * Reads one source with the datasets module's reader (its schema; bad records quarantined and counted) and writes
 * the valid records as JSON lines to `out`, for the engine to load typed. `counts.read` and `quarantined` are the
 * reader's; `loaded`, `filtered` and `duplicates` are settled from the tables afterwards.
 */
export async function stageRecords(source: 'song_data' | 'log_data', files: Map<string, string>, out: string, quarantine: QuarantineSink,
  progress: Progress): Promise<SourceCounts> {
  const counts = emptyCounts(source);
  // Quarantine records name the object (s3://…), not the spooled copy.
  const named: QuarantineSink = {
    add: (r) => quarantine.add({ ...r, file: files.get(r.file) ?? r.file }),
    count: (s) => quarantine.count(s),
    get total() { return quarantine.total; },
    close: () => quarantine.close(),
  };
  const paths = [...files.keys()].sort();
  const records = source === 'song_data' ? readSongs(paths, named, counts) : readLogEvents(paths, named, counts);
  await mkdir(dirname(out), { recursive: true });
  const stream: WriteStream = createWriteStream(out, { highWaterMark: 1024 * 1024 });
  const started = Date.now();
  let batch = '';
  for await (const item of records) {
    batch += `${JSON.stringify(item.record)}\n`;
    if (batch.length < 256 * 1024) continue;
    if (!stream.write(batch)) await once(stream, 'drain');
    batch = '';
    const rate = counts.read / Math.max((Date.now() - started) / 1000, 0.001);
    progress.update(`reading ${source} (${Math.round(rate).toLocaleString('en-US')} records/s)`, counts.read);
  }
  stream.end(batch);
  await once(stream, 'close');
  return counts;
}
