import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SparkifyError, type ErrorCode } from '../../src/core/errors.ts';
import { MemoryQuarantine, type QuarantineRecord, type QuarantineSink } from '../../src/datasets/quarantine.ts';
import type { Located } from '../../src/datasets/read-log-events.ts';
import { emptyCounts, reconciles, type SourceCounts } from '../../src/datasets/source-counts.ts';

/** The committed corpus of malformed inputs; test/fixtures/bad-input/README.md lists every file and its outcome. */
export const corpus = resolve(import.meta.dirname, '..', 'fixtures', 'bad-input');
export const songFixture = (name: string) => join(corpus, 'song_data', name);
export const logFixture = (name: string) => join(corpus, 'log_data', name);
export const csvFixture = (name: string) => join(corpus, 'event_data', name);

export const MiB = 1024 * 1024;

/** A fresh temp directory, removed when the test ends (for inputs git cannot or should not hold). */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-bad-input-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A `.json` file that cannot be read. Tests run as root, where chmod 000 blocks nothing, so it is a dangling
 * symlink (`x.json -> missing`); under another user a chmod-000 file is added too. Returns both paths made.
 */
export async function unreadableFiles(dir: string): Promise<string[]> {
  const dangling = join(dir, 'x.json');
  await symlink(join(dir, 'missing'), dangling);
  if (process.getuid?.() === 0) return [dangling];
  const locked = join(dir, 'locked.json');
  await writeFile(locked, '{}\n');
  await chmod(locked, 0o000);
  return [dangling, locked];
}

/** What a reader produced over some files, with `loaded` counted as a consumer that keeps everything would. */
export interface Drained<T> {
  records: Located<T>[];
  rejects: QuarantineRecord[];
  counts: SourceCounts;
}

export async function drain<T>(
  read: (quarantine: QuarantineSink, counts: SourceCounts) => AsyncIterable<Located<T>>,
  source = 'test',
): Promise<Drained<T>> {
  const quarantine = new MemoryQuarantine();
  const counts = emptyCounts(source);
  const records: Located<T>[] = [];
  for await (const located of read(quarantine, counts)) {
    counts.loaded++;
    records.push(located);
  }
  assert.ok(reconciles(counts), `counts do not reconcile: ${JSON.stringify(counts)}`);
  assert.equal(quarantine.count(source), counts.quarantined, 'the sink saw every quarantined record');
  return { records, rejects: quarantine.records, counts };
}

export interface ExpectedReject {
  file: string;
  line: number;
  field: string;
  /** A substring of the reason. */
  reason: string;
}

/** The rejects, in order, with exact file, line and field, and a reason containing the expected text. */
export function assertRejects(actual: readonly QuarantineRecord[], expected: readonly ExpectedReject[]): void {
  const where = (r: { file: string; line: number; field: string }) => ({ file: r.file, line: r.line, field: r.field });
  assert.deepEqual(actual.map(where), expected.map(where), JSON.stringify(actual, null, 1).slice(0, 4000));
  for (const [i, e] of expected.entries()) {
    const reason = actual[i]?.reason ?? '';
    assert.ok(reason.includes(e.reason), `reject ${i} (${e.file}:${e.line}): reason ${JSON.stringify(reason)} lacks ${JSON.stringify(e.reason)}`);
  }
}

export function isSparkifyError(code: ErrorCode, path?: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof SparkifyError, `expected a SparkifyError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (path !== undefined) assert.equal(e.details.path, path);
    return true;
  };
}

/**
 * Bytes held in ArrayBuffers (file chunks live there) once garbage is really gone. `--expose-gc` is switched
 * on at run time so the tests need no extra node flag (a fresh context picks the `gc` global up). V8 frees
 * buffer memory on a background sweeper after a collection, so a single gc() can still count dead chunks:
 * collect a few times with a pause between.
 */
export async function heldBuffers(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return process.memoryUsage().arrayBuffers;
}
