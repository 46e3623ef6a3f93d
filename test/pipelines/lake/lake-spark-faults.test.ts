import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { openLakeEngine } from '../../../src/engines/open-lake-engine.ts';
import { applyLakeBuild } from '../../../src/pipelines/lake/apply-lake-build.ts';
import { planLakeBuild } from '../../../src/pipelines/lake/lake-plan.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { startSparkConnect } from '../../../scripts/servers/spark-connect-server.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import { runCli } from '../../support/run-cli.ts';
import { testSparkRemote } from '../../support/spark.ts';
import { build, lakeFiles, lakeSums } from './lake-fixtures.ts';

/** Issue 16 §4 on Spark: what the user sees of a Spark error, and a Spark server that goes away in the middle of a build. */

test('a Spark error reaches the user as one typed line with Spark\'s own message, not a gRPC dump', async (t) => {
  const remote = testSparkRemote(t);
  if (!remote) return;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-spark-error-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'log_data'));
  const r = await runCli(['lake', 'query', 'SELECT nosuch FROM log_data', '--in', dir, '--engine', 'spark', '--spark-remote', remote]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] as string, /^error: SPK_E_ENGINE: Spark query: \[UNRESOLVED_COLUMN\.\w+\] .*`nosuch`/);
  assert.doesNotMatch(r.stderr, /INTERNAL|grpc|    at /i);
  const gone = await runCli(['lake', 'query', 'SELECT 1', '--in', dir, '--engine', 'spark', '--spark-remote', 'sc://127.0.0.1:1']);
  assert.equal(gone.code, 1, gone.stderr);
  assert.match(gone.stderr.trim(), /^error: SPK_E_CONNECTION: .*Spark Connect server unreachable: .*ECONNREFUSED[^\n]*$/);
});

test('the Spark server stopping mid-build: a connection error, the previous version readable and whole, and the next run succeeds', async (t) => {
  const shared = testSparkRemote(t);
  if (!shared) return;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-spark-stop-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const input = join(dir, 'data');
  const out = join(dir, 'lake');
  await simulate({ outDir: input, users: 40, days: 2, songs: 100, seed: 12 });
  await build(input, out);
  const previous = await lakeSums(out);
  const files = lakeFiles(out);

  // A server of this test's own, stopped (its process group killed) once the job is writing its Parquet tables.
  const server = await startSparkConnect({ handleSignals: false, memoryMB: 768 });
  t.after(() => server.stop());
  const plan = planLakeBuild({ engine: 'spark', input, output: out });
  const engine = await openLakeEngine('spark', { sparkRemote: server.remote });
  let stopping: Promise<void> | undefined;
  const failed = await applyLakeBuild(plan, engine, {
    open: (l) => openStore(l, { region: 'us-east-1' }),
    runId: `stopped-${process.pid}`,
    quarantine: new MemoryQuarantine(),
    progress: {
      update: (label) => {
        if (label.startsWith('writing ') && stopping === undefined) stopping = server.stop();
      },
      done: () => undefined,
    },
  }).then(() => undefined, (error: unknown) => error);
  await engine.close().catch(() => undefined);
  assert.ok(stopping, 'the build reached its writes');
  await stopping;
  assert.ok(failed instanceof SparkifyError, String(failed));
  assert.equal(failed.code, 'SPK_E_CONNECTION', failed.message);
  assert.ok(!failed.message.includes('\n'), failed.message);

  const now = await lakeSums(out);
  assert.equal(now.version, previous.version, 'no new version committed');
  assert.deepEqual(now.tables, previous.tables);
  assert.deepEqual(lakeFiles(out), files, 'nothing of the failed run reached the lake');

  // The next run, on a server that is up, commits a new version with the same content.
  const next = await build(input, out, { sparkRemote: shared });
  assert.equal(next.result.publish.swept, 0);
  const after = await lakeSums(out);
  assert.notEqual(after.version, previous.version);
  assert.deepEqual(after.tables, previous.tables);
});
