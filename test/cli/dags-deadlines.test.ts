import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClock } from '../../src/core/clock.ts';
import { setDagPaused, upsertDagVersion } from '../../src/orchestrator/metadb/dags.ts';
import { openMetadb } from '../../src/orchestrator/metadb/open-metadb.ts';
import { schedulerTick, triggerDagRun } from '../../src/orchestrator/scheduler-loop/index.ts';
import { dagVersion, task } from '../orchestrator/metadb/fixtures.ts';
import { runCli } from '../support/run-cli.ts';

test('dags deadlines [dag]: the recorded misses as a table and as JSON', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-deadlines-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const engine = await openMetadb({ dataDir });
  try {
    await upsertDagVersion(engine, dagVersion('late', [task('a')], { deadline: { reference: 'queuedAt', intervalMs: 60_000, email: [], callback: false } }), new Date('2018-11-01T00:00:00Z'));
    await setDagPaused(engine, 'late', false);
    const clock = new TestClock('2026-12-08T10:00:00Z');
    await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'late', now: clock.now() }));
    await schedulerTick(engine, clock);
    clock.advance(60_000);
    assert.equal((await schedulerTick(engine, clock)).deadlinesMissed.length, 1);
  } finally {
    await engine.close();
  }
  const env = { SPARKIFY_DATA_DIR: dataDir };
  const table = await runCli(['dags', 'deadlines', 'late'], env);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /│ late +│ manual__2026-12-08T10:00:00\+00:00 +│ \(run\) +│ 2026-12-08 10:01:00 +│ queuedAt +│ 2026-12-08 10:01:00 +│ running +│ none/);
  const json = JSON.parse((await runCli(['dags', 'deadlines', '--json'], env)).stdout) as { dagId: string; taskId: string | null; alertState: string }[];
  assert.deepEqual(json.map((m) => [m.dagId, m.taskId, m.alertState]), [['late', null, 'none']]);
  assert.deepEqual(JSON.parse((await runCli(['dags', 'deadlines', 'other', '--json'], env)).stdout), []);
});
