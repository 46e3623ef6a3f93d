import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { S3Config } from '../../src/storage/s3/s3-config.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { runCli } from '../support/run-cli.ts';
import { testBucket } from '../support/s3.ts';
import { lakeSums } from '../pipelines/lake/lake-fixtures.ts';

/**
 * Three `sparkify lake build`s into one lake at once, each a process of its own (README, "Concurrent loads"): they take
 * turns through the lake's lock (`_lock.json`, docs/decisions/2026-12-08-lake-lock.md), all exit 0, and the lake's
 * tables hold exactly what one build leaves. Without the lock each swept the files the others had not committed yet.
 */
const builders = 3;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-concurrent-lake-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function raceBuilds(dir: string, alone: string, raced: string, env: Record<string, string> = {}, s3?: S3Config): Promise<void> {
  const args = (out: string) => ['lake', 'build', '--in', sample.root, '--out', out, '--data-dir', dir, '--no-progress', '--json'];
  const single = await runCli(args(alone), env);
  assert.equal(single.code, 0, single.stderr);
  const expected = (await lakeSums(alone, s3)).tables;
  assert.equal(expected.songplays?.rows, 6820);

  const results = await Promise.all(Array.from({ length: builders }, () => runCli(args(raced), env)));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  // The builds did overlap (one that waited says so once on stderr): the race above was a race.
  assert.ok(results.some((r) => /waiting for it to finish/.test(r.stderr)), results.map((r) => r.stderr).join('\n'));
  for (const r of results) assert.ok((r.stderr.match(/waiting for it to finish/g) ?? []).length <= 1, r.stderr);
  const versions = results.map((r) => JSON.parse(r.stdout).runId as string);
  const lake = await lakeSums(raced, s3);
  assert.deepEqual(lake.tables, expected);
  assert.ok(versions.includes(lake.version), 'the last build committed is one of them');
}

test('lake build, three at once into one directory lake, take turns', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dir = await tempDir(t);
  await raceBuilds(dir, join(dir, 'alone'), join(dir, 'raced'));
});

test('lake build, three at once into one S3 lake, take turns', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  const dir = await tempDir(t);
  await raceBuilds(dir, `${bucket.url}/alone`, `${bucket.url}/raced`, bucket.env, bucket.config);
});
