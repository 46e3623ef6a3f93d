import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { engineKinds } from '../support/engines.ts';
import { liveDagId, livePassword, startLiveWorld } from './live-world.ts';

/** The venv's python with apache-airflow-client, provisioned by `npm test` (scripts/servers/airflow-client-install.ts). */
const pythonVariable = 'SPARKIFY_TEST_AIRFLOW_CLIENT_PYTHON';

function runPython(python: string, args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

for (const kind of engineKinds) {
  test(`${kind}: Airflow's own Python client lists DAGs, unpauses one, triggers a run, waits for it, reads its task instances and a log`, { timeout: 300_000 }, async (t) => {
    const python = process.env[pythonVariable];
    if (!python) {
      const message = `the Python client test needs ${pythonVariable} (run it with \`npm test\`, which installs apache-airflow-client into a venv)`;
      if (process.env.CI === 'true') throw new Error(message);
      process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
      t.skip(message);
      return;
    }
    const world = await startLiveWorld(t, kind, { scheduler: true });
    if (world === undefined) return;
    const result = await runPython(python, [join(import.meta.dirname, 'airflow_client_check.py'), world.baseUrl, 'admin', liveDagId], `${livePassword}\n`);
    assert.equal(result.code, 0, `the client failed:\n${result.stderr.slice(-3000)}`);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
    assert.deepEqual(summary.dags, [liveDagId]);
    assert.equal(summary.was_paused, true);
    assert.equal(summary.is_paused_after, false);
    assert.equal(summary.run_id, 'manual__2026-12-01T06:00:00+00:00');
    assert.deepEqual(summary.conf, { greeting: 'airflow client' });
    assert.equal(summary.run_state, 'success');
    assert.deepEqual(summary.task_instances, { extract: ['success', 1], transform: ['success', 1], load: ['success', 1] });
    assert.equal(summary.total_entries, 3);
    assert.equal(summary.log_task, 'extract');
    assert.deepEqual(summary.tries, [[1, 'success', true]]);
    assert.ok(summary.log.some((line: string) => line.includes('extract says hello to airflow client')), summary.log.join('\n'));
    assert.equal(summary.runs_listed, 1);
    assert.equal(summary.version, '0.1.0');
    // What the client saw is what the metadb holds.
    const [run] = await world.engine.query<{ state: string }>('SELECT state FROM orch_dag_run WHERE dag_id = $1', [liveDagId]);
    assert.equal(run?.state, 'success');
  });
}
