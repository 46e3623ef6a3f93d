import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

// The main job (`npm start`), as a user runs it: simulate, load into PGlite, summarise; twice, same answers.
test('the demo loads about 50k simulated events, reconciles, and is deterministic', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sparkify-demo-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const run = async () => {
    const result = await runCli(['demo', '--data-dir', dataDir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { seconds: _seconds, ...report } = JSON.parse(result.stdout);
    return report;
  };
  const first = await run();
  const logs = first.sources.find((s: { source: string }) => s.source === 'logs');
  assert.ok(logs.read > 40_000 && logs.read < 60_000, `events read: ${logs.read}`);
  assert.ok(first.sources.every((s: { reconciles: boolean }) => s.reconciles));
  const rows = Object.fromEntries(first.tables.map((r: { table: string; rows: number }) => [r.table, r.rows]));
  assert.equal(rows.songplays, logs.loaded);
  assert.equal(rows.songs, 400);
  assert.ok(first.answers.topSongs.length === 5, 'simulated plays match the catalog');
  assert.deepEqual(first.answers.playsByLevel.map((r: { level: string }) => r.level), ['free', 'paid']);
  assert.deepEqual(await run(), first);
});
