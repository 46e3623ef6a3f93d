import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { csvBatchChunks } from '../../src/core/csv-text.ts';
import { SparkifyError } from '../../src/core/errors.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { readLogEventBatches } from '../../src/datasets/read-log-events.ts';
import { emptyCounts, type SourceCounts } from '../../src/datasets/source-counts.ts';
import { stageEventsInWorkers } from '../../src/star/stage-events-in-workers.ts';
import { eventCells } from '../../src/star/staging-rules.ts';
import { corpus, tempDir, unreadableFiles } from '../datasets/corpus.ts';
import { requireDataset, sample } from '../support/datasets.ts';

interface Staged {
  csv: string;
  chunks: number;
  counts: SourceCounts;
  rejects: MemoryQuarantine['records'];
  error?: unknown;
}

/** What the main-thread path stages: the reference the workers must equal. */
async function onMainThread(files: string[]): Promise<Staged> {
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  return collect(csvBatchChunks(readLogEventBatches(files, quarantine, counts), eventCells(counts, quarantine)), counts, quarantine);
}

async function inWorkers(files: string[], workers: number, aheadChars?: number): Promise<Staged> {
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const staging = stageEventsInWorkers(files, counts, quarantine, { workers, ...(aheadChars === undefined ? {} : { aheadChars }) });
  try {
    return await collect(staging.chunks(), counts, quarantine);
  } finally {
    await staging.close();
  }
}

async function collect(chunks: AsyncIterable<string>, counts: SourceCounts, quarantine: MemoryQuarantine): Promise<Staged> {
  const staged: Staged = { csv: '', chunks: 0, counts, rejects: quarantine.records };
  try {
    for await (const chunk of chunks) {
      staged.csv += chunk;
      staged.chunks++;
    }
  } catch (error) {
    staged.error = error;
  }
  return staged;
}

const sameAs = (actual: Staged, expected: Staged) => {
  assert.equal(actual.csv, expected.csv);
  assert.deepEqual(actual.counts, expected.counts);
  assert.deepEqual(actual.rejects, expected.rejects);
};

test('one, two or three workers stage exactly what the main thread does: CSV, counts and quarantine in input order', async (t) => {
  const dir = join(corpus, 'log_data');
  // The bad-input corpus, between days of the course sample, so that bad records sit in several workers' files.
  const bad = (await readdir(dir)).sort().map((name) => join(dir, name));
  const files = [...bad];
  if (requireDataset(t, sample.logs)) {
    const days = (await readdir(join(sample.logs, '2018', '11'))).sort().map((name) => join(sample.logs, '2018', '11', name));
    files.splice(0, 0, ...days.slice(0, 4));
    files.splice(7, 0, ...days.slice(4, 9));
  }
  const reference = await onMainThread(files);
  assert.ok(reference.rejects.length >= 8, `the corpus quarantines records (${reference.rejects.length})`);
  assert.ok(reference.counts.loaded > 0 && reference.counts.filtered > 0);
  for (const workers of [1, 2, 3]) sameAs(await inWorkers(files, workers), reference);
  // Credit far smaller than a chunk: each worker waits for the consumer after every message, and nothing changes.
  const throttled = await inWorkers(files, 2, 1);
  sameAs(throttled, reference);
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
  const reference = await onMainThread(files);
  assert.ok(reference.error instanceof SparkifyError && reference.error.code === 'SPK_E_INPUT_UNREADABLE');
  assert.equal(reference.counts.loaded, 4, 'the two files before the unreadable one');
  for (const workers of [1, 2, 3]) {
    const staged = await inWorkers(files, workers);
    assert.ok(staged.error instanceof SparkifyError, `workers=${workers}: ${String(staged.error)}`);
    assert.equal(staged.error.code, 'SPK_E_INPUT_UNREADABLE');
    assert.equal(staged.error.details.path, unreadable);
    sameAs(staged, reference);
  }
});
