import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { DEFAULT_START, compileSimulateOptions } from '../../src/simulator/simulate-options.ts';
import { runCli } from '../support/run-cli.ts';

const good = { outDir: '/tmp/x', users: '10', days: '2', songs: '5', seed: '42' };

test('compileSimulateOptions converts flag text, applies defaults, and rejects each bad option by name', () => {
  assert.deepEqual(compileSimulateOptions(good), { outDir: '/tmp/x', users: 10, days: 2, songs: 5, seed: 42, start: DEFAULT_START, offCatalogShare: 0.2 });
  assert.equal(compileSimulateOptions({ ...good, start: '2019-01-02' }).start.toISOString(), '2019-01-02T00:00:00.000Z');
  const flag = (key: string) => `--${key}`;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, users: 'ten' }, /--users must be a whole number from 1 to 5,000,000 \(got "ten"\)/],
    [{ ...good, days: '0' }, /--days must be a whole number/],
    [{ ...good, songs: '2.5' }, /--songs must be a whole number/],
    [{ ...good, seed: '-1' }, /--seed must be a whole number from 0/],
    [{ ...good, seed: undefined }, /--seed .*\(got nothing\)/],
    [{ ...good, start: '2018-02-30' }, /--start must be a UTC date/],
    [{ ...good, start: '11/01/2018' }, /--start must be a UTC date/],
    [{ ...good, start: '1999-01-01' }, /--start must be 2002-01-01 or later/],
    [{ ...good, offCatalogShare: '1' }, /--offCatalogShare must be a number from 0 to 0.95/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => compileSimulateOptions(raw, flag), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG' && message.test(e.message), String(message));
  }
  // Every problem is reported at once, not just the first.
  assert.throws(() => compileSimulateOptions({ ...good, users: 'x', days: 'y' }, flag), /--users .*; --days /);
});

test('sparkify simulate: exit 2 and the flag named on bad input; a summary (table or --json) on success', async () => {
  const bad = await runCli(['simulate', '--users', 'lots', '--days', '3', '--songs', '5', '--seed', '1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /SPK_E_CONFIG: --out must be a folder path \(got nothing\); --users must be a whole number/);

  const dir = await mkdtemp(join(tmpdir(), 'sparkify-sim-cli-'));
  try {
    const json = await runCli(['simulate', '--out', join(dir, 'a'), '--users', '20', '--days', '2', '--songs', '30', '--seed', '9', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout);
    assert.equal(summary.songFiles, 30);
    assert.equal(summary.logFiles, 2);
    assert.ok(summary.events > 0);
    assert.match(json.stderr, /simulated [\d,]+ events/);

    const table = await runCli(['simulate', '--out', join(dir, 'b'), '--users', '20', '--days', '2', '--songs', '30', '--seed', '9', '--start', '2018-11-01']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /│ events +│ +[\d,]+ │/);
    assert.match(table.stdout, new RegExp(`│ events +│ +${summary.events.toLocaleString('en-US')} │`), 'same seed, same events');

    const again = await runCli(['simulate', '--out', join(dir, 'b'), '--users', '20', '--days', '2', '--songs', '30', '--seed', '9']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already contains song_data/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
