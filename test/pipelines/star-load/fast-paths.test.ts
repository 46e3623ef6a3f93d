import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { applyStarLoad } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { formatPlan, planStarLoad, type StarLoadRequest } from '../../../src/pipelines/star-load/star-plan.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { engineKinds, freshEngine } from '../../support/engines.ts';

// The switch (--no-fast-paths, SPARKIFY_FAST_PATHS=off): the star load's reference path and its fast paths load the
// same tables, counts and rejects.

const request = (extra: Partial<StarLoadRequest> = {}): StarLoadRequest =>
  ({ songsDir: sample.songs, logsDir: sample.logs, target: 'test', rejectsFile: '/dev/null', ...extra });

async function load(engine: SqlEngine, extra: Partial<StarLoadRequest>) {
  const quarantine = new MemoryQuarantine();
  const plan = await planStarLoad(request(extra));
  const result = await applyStarLoad(plan, engine, quarantine);
  return { plan, sources: result.sources, tables: await tableChecksums(engine), rejects: quarantine.records };
}

test('with the fast paths off the plan names the reference path: this thread, no reading ahead, no time beside', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const off = await planStarLoad(request({ fastPaths: false, workers: 2 }));
  assert.equal(off.fastPaths, false);
  assert.deepEqual(off.plays, { workers: 0, scan: 'reference', readAhead: false });
  assert.equal(off.steps.some((s) => s.kind === 'copy' && s.beside === true), false);
  const text = formatPlan(off);
  assert.match(text, /^-- fast paths: off/m);
  assert.match(text, /^-- \(read on this thread, reference path \(JSON\.parse and the validators\)\)$/m);
  assert.doesNotMatch(text, /by a second connection into a table of its own/);

  const on = await planStarLoad(request({ workers: 2 }));
  assert.equal(on.plays.workers, 2);
  assert.match(on.plays.scan, /^(webassembly|javascript)$/);
  assert.match(formatPlan(on), /^-- \(read on 2 worker threads, byte scanner on (WebAssembly|JavaScript), the reference path for the lines it declines, reading ahead\)$/m);
  assert.ok(on.steps.some((s) => s.kind === 'copy' && s.beside === true));
  // The course sample is too small to repay a worker: by default, this thread.
  assert.deepEqual((await planStarLoad(request())).plays, { workers: 0, scan: 'reference', readAhead: true });
});

for (const kind of engineKinds) {
  test(`${kind}: the course sample loads the same with the fast paths off, on, and on in worker threads`, async (t) => {
    if (!requireDataset(t, sample.logs)) return;
    const engines = [await freshEngine(t, kind), await freshEngine(t, kind), await freshEngine(t, kind)];
    if (engines.some((e) => e === undefined)) return;
    const [a, b, c] = engines as SqlEngine[];
    const off = await load(a as SqlEngine, { fastPaths: false });
    const on = await load(b as SqlEngine, {});
    const workers = await load(c as SqlEngine, { workers: 2 });
    assert.equal(workers.plan.plays.workers, 2);
    assert.equal(off.tables.find((x) => x.table === 'songplays')?.rows, 6820);
    for (const other of [on, workers]) {
      assert.deepEqual(other.tables, off.tables);
      assert.deepEqual(other.sources, off.sources);
      assert.deepEqual(other.rejects, off.rejects);
    }
  });
}

test('the switch is above the tests\' knob: workers asked of a plan with the fast paths off are not started', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const engine = await freshEngine(t, 'pglite');
  if (!engine) return;
  const plan = await planStarLoad(request({ fastPaths: false }));
  // applyStarLoad's `workers` option (tests) re-chooses through the same rule, which the switch overrules.
  const result = await applyStarLoad(plan, engine, new MemoryQuarantine(), undefined, undefined, { workers: 2 });
  assert.equal(result.sources[1]?.loaded, 6820);
  const { playPath } = await import('../../../src/pipelines/star-load/star-plan.ts');
  assert.deepEqual(playPath(false, 2, 30), { workers: 0, scan: 'reference', readAhead: false });
});
