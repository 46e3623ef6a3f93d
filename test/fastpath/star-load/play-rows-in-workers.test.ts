import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { readSongs } from '../../../src/datasets/read-songs.ts';
import { emptyCounts, type SourceCounts } from '../../../src/datasets/source-counts.ts';
import { EventsReadAhead, playRowsOnMainThread, type PlayRows } from '../../../src/pipelines/star-load/play-rows.ts';
import { readLogEventBatches } from '../../../src/datasets/read-log-events.ts';
import { playRowsInWorkers } from '../../../src/fastpath/star-load/play-rows-in-workers.ts';
import { rowBufferBytes } from '../../../src/fastpath/star-load/play-rows-messages.ts';
import { timeRowBytes } from '../../../src/pipelines/star-load/time-rows.ts';
import { SongCatalog, type CatalogRow } from '../../../src/pipelines/star-load/song-catalog.ts';
import { corpus, tempDir, unreadableFiles } from '../../datasets/corpus.ts';
import { listFiles } from '../../../src/datasets/list-files.ts';
import { songplayRowsAsCsv } from '../../support/binary-copy.ts';
import { requireDataset, sample } from '../../support/datasets.ts';


interface Staged {
  csv: string;
  counts: SourceCounts;
  rejects: MemoryQuarantine['records'];
  users: unknown[];
  /** The time rows (binary, one per distinct timestamp of a file) as hex, sorted: the workers' come in their order. */
  times: string[];
  error?: unknown;
}

/** What the main-thread path gives: the reference the workers must equal. */
async function onMainThread(files: string[], catalog: SongCatalog, aheadChars?: number): Promise<Staged> {
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const plays = playRowsOnMainThread(files, counts, quarantine, aheadChars);
  plays.start(catalog);
  return collect(plays, counts, quarantine);
}

async function inWorkers(files: string[], catalog: SongCatalog, workers: number, options: { aheadBytes?: number } = {}): Promise<Staged> {
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const plays = playRowsInWorkers(files, counts, quarantine, { workers, ...options });
  try {
    plays.start(catalog);
    return await collect(plays, counts, quarantine);
  } finally {
    await plays.close();
  }
}

async function collect(plays: PlayRows, counts: SourceCounts, quarantine: MemoryQuarantine): Promise<Staged> {
  const staged: Staged = { csv: '', counts, rejects: quarantine.records, users: [], times: [] };
  try {
    for await (const chunk of plays.chunks()) {
      if (typeof chunk === 'string') {
        staged.csv += chunk;
        continue;
      }
      staged.csv += songplayRowsAsCsv(chunk);
      // Read: the worker may encode later chunks into this buffer (what COPY's release does), and nothing changes.
      plays.release(chunk);
    }
  } catch (error) {
    staged.error = error;
  }
  staged.users = [...plays.users.cells()].flat();
  if (staged.error === undefined) {
    const parts: Uint8Array[] = [];
    for await (const chunk of plays.times.chunks()) parts.push(chunk);
    const all = Buffer.concat(parts);
    for (let at = 0; at < all.length; at += timeRowBytes) staged.times.push(all.subarray(at, at + timeRowBytes).toString('hex'));
    staged.times.sort();
  }
  return staged;
}

/** The sample's songs as a catalog (what 05-catalog.sql gives for them: no two share title, artist and duration). */
async function sampleCatalog(): Promise<SongCatalog> {
  const rows: CatalogRow[] = [];
  const counts = emptyCounts('songs');
  for await (const { record: s } of readSongs(await listFiles(sample.songs, '.json'), new MemoryQuarantine(), counts)) {
    rows.push({ title: s.title, artist_name: s.artist_name, duration: s.duration, song_id: s.song_id, artist_id: s.artist_id });
  }
  return new SongCatalog(rows);
}

const sameAs = (actual: Staged, expected: Staged) => {
  assert.equal(actual.csv, expected.csv);
  assert.deepEqual(actual.counts, expected.counts);
  assert.deepEqual(actual.rejects, expected.rejects);
  // Users are a set (stage_users is read in user_id order); on a failure there are none to load.
  const byUser = (users: unknown[]) => (users as [number][]).toSorted((a, b) => a[0] - b[0]);
  if (expected.error === undefined) {
    assert.deepEqual(byUser(actual.users), byUser(expected.users));
    assert.deepEqual(actual.times, expected.times);
    assert.ok(expected.times.length > 0 || expected.counts.loaded === 0);
  }
};

test('one, two or three workers give exactly what the main thread does: plays, counts, quarantine in input order, users', async (t) => {
  const dir = join(corpus, 'log_data');
  // The bad-input corpus, between days of the course sample, so that bad records sit in several workers' files.
  const bad = (await readdir(dir)).sort().map((name) => join(dir, name));
  const files = [...bad];
  if (requireDataset(t, sample.logs)) {
    const days = (await readdir(join(sample.logs, '2018', '11'))).sort().map((name) => join(sample.logs, '2018', '11', name));
    files.splice(0, 0, ...days.slice(0, 4));
    files.splice(7, 0, ...days.slice(4, 9));
  }
  const catalog = files.length > bad.length ? await sampleCatalog() : new SongCatalog([]);
  const reference = await onMainThread(files, catalog);
  assert.ok(reference.rejects.length >= 8, `the corpus quarantines records (${reference.rejects.length})`);
  assert.ok(reference.counts.loaded > 0 && reference.counts.filtered > 0);
  if (files.length > bad.length) {
    // The sample's one play of a catalogued song ('Setanta matins' by Elena, session 818) is matched.
    assert.match(reference.csv, /^"818:\d+:15","2018-11-\d\dT[\d:.]+",15,"paid","SOZCTXZ12AB0182364","AR5KOSW1187FB35FF4",818,/m);
    assert.equal(reference.csv.match(/"SO[A-Z0-9]+"/g)?.length, 1);
  }
  assert.ok(reference.users.length > 0);
  // The main thread reads ahead of the catalog: nothing ahead, a line or a few, part of the input: the same result.
  for (const aheadChars of [0, 1, 5000, 200_000]) sameAs(await onMainThread(files, catalog, aheadChars), reference);
  for (const workers of [1, 2, 3]) {
    const staged = await inWorkers(files, catalog, workers);
    sameAs(staged, reference);
  }
  // Credit far smaller than a chunk: each worker waits for the consumer after every message, and nothing changes.
  sameAs(await inWorkers(files, catalog, 2, { aheadBytes: 1 }), reference);
});

test('an unreadable file fails the staging in input order: everything before it is staged, nothing after it', async (t) => {
  const dir = await tempDir(t);
  const good = (n: number) => join(dir, `day-${n}.json`);
  for (const n of [1, 2, 4, 5]) {
    const line = (item: number) => JSON.stringify({
      artist: 'A', auth: 'Logged In', firstName: 'F', gender: 'F', itemInSession: item, lastName: 'L', length: 1.5, level: 'free',
      location: 'X', method: 'PUT', page: 'NextSong', registration: 1.5e12, sessionId: n, song: 'S', status: 200, ts: 1541106106796 + item,
      userAgent: 'UA', userId: String(n),
    });
    await writeFile(good(n), `${line(0)}\n${line(1)}\n`);
  }
  const [unreadable] = await unreadableFiles(dir); // x.json, a dangling link
  const files = [good(1), good(2), unreadable as string, good(4), good(5)];
  const catalog = new SongCatalog([{ title: 'S', artist_name: 'A', duration: 1.5, song_id: 'SO1', artist_id: 'AR1' }]);
  const reference = await onMainThread(files, catalog);
  assert.ok(reference.error instanceof SparkifyError && reference.error.code === 'SPK_E_INPUT_UNREADABLE');
  assert.equal(reference.counts.loaded, 4, 'the two files before the unreadable one');
  for (const aheadChars of [0, 200]) sameAs(await onMainThread(files, catalog, aheadChars), reference);
  for (const workers of [1, 2, 3]) {
    const staged = await inWorkers(files, catalog, workers);
    assert.ok(staged.error instanceof SparkifyError, `workers=${workers}: ${String(staged.error)}`);
    assert.equal(staged.error.code, 'SPK_E_INPUT_UNREADABLE');
    assert.equal(staged.error.details.path, unreadable);
    sameAs(staged, reference);
  }
});

test('events read ahead reach the quarantine and the counts only as they are taken, in input order', async () => {
  const files = (await readdir(join(corpus, 'log_data'))).sort().map((name) => join(corpus, 'log_data', name));
  const reference = { counts: emptyCounts('logs'), quarantine: new MemoryQuarantine(), events: [] as unknown[] };
  for await (const batch of readLogEventBatches(files, reference.quarantine, reference.counts)) reference.events.push(...batch);
  assert.ok(reference.quarantine.records.length >= 8 && reference.events.length > 0);

  const ahead = new EventsReadAhead(files, Number.POSITIVE_INFINITY, 'logs');
  await ahead.pump; // the whole corpus read and validated
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const events: unknown[] = [];
  let taken = 0;
  for await (const batch of ahead.batches(quarantine, counts)) {
    // Everything was read ahead, but only what has been taken so far is counted.
    if (taken++ === 0) assert.ok(counts.read < reference.counts.read && counts.files < reference.counts.files, `${counts.read} of ${reference.counts.read}`);
    events.push(...batch);
  }
  assert.deepEqual(events, reference.events);
  assert.deepEqual(quarantine.records, reference.quarantine.records);
  assert.deepEqual(counts, reference.counts);
});

test('events read ahead and never taken are dropped on close: nothing is counted or quarantined', async () => {
  const files = (await readdir(join(corpus, 'log_data'))).sort().map((name) => join(corpus, 'log_data', name));
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const plays = playRowsOnMainThread(files, counts, quarantine);
  await plays.close();
  assert.deepEqual(counts, emptyCounts('logs'));
  assert.equal(quarantine.records.length, 0);
});

test('credit bounds what each worker has out: the buffers it sent and the consumer has not taken', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const days = (await readdir(join(sample.logs, '2018', '11'))).sort().map((name) => join(sample.logs, '2018', '11', name));
  const catalog = await sampleCatalog();
  const reference = await onMainThread(days, catalog);
  for (const aheadBytes of [1, 2.5 * rowBufferBytes]) {
    const counts = emptyCounts('logs');
    const quarantine = new MemoryQuarantine();
    const plays = playRowsInWorkers(days, counts, quarantine, { workers: 2, aheadBytes });
    try {
      plays.start(catalog);
      sameAs(await collect(plays, counts, quarantine), reference);
    } finally {
      await plays.close();
    }
    // A buffer is counted whole, and once more at most past the credit.
    assert.ok(plays.mostAheadBytes >= rowBufferBytes, `buffers are counted (${plays.mostAheadBytes})`);
    assert.ok(plays.mostAheadBytes <= aheadBytes + rowBufferBytes, `${plays.mostAheadBytes} bytes out with ${aheadBytes} of credit`);
  }
});
