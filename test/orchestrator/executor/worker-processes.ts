import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { SecretBox } from '../../../src/orchestrator/metadb/secrets/secret-box.ts';
import { testDatabase } from '../../support/postgres.ts';

const bin = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'sparkify.js');

export interface WorkerProcess {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * A migrated metadata database on the test server with a `ledger` table, where the Ledger operator records each try's
 * start and end, and the connection `ledger` to it (sealed with a key the workers get through SPARKIFY_SECRET_KEY).
 */
export async function workerDatabase(t: TestContext) {
  const db = await testDatabase(t);
  if (db === undefined) return undefined;
  const engine: SqlEngine = new PostgresEngine({ connectionString: db.url });
  t.after(() => engine.close());
  await migrate(engine);
  await engine.exec(`CREATE TABLE ledger (run_id text NOT NULL, task_id text NOT NULL, try_number int NOT NULL, pid int NOT NULL,
    started timestamptz NOT NULL, ended timestamptz, PRIMARY KEY (run_id, task_id, try_number))`);
  const key = randomBytes(32);
  const url = new URL(db.url);
  await putConnection(engine, new SecretBox(key), {
    connId: 'ledger', connType: 'postgres', host: url.hostname, port: Number(url.port || 5432), login: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password) || null, schema: url.pathname.slice(1), extra: {}, description: null,
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'sparkify-workers-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const workers: WorkerProcess[] = [];
  t.after(async () => {
    for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
  });
  /** Starts `sparkify worker` on this database (killed when the test ends if it is still running). */
  const startWorker = (folder: string, flags: string[] = []): WorkerProcess => {
    const proc = spawn(process.execPath, [bin, 'worker', '--metadb', db.url, '--dags', folder, '--poll-ms', '50', ...flags], {
      env: { ...process.env, SPARKIFY_SECRET_KEY: key.toString('hex'), SPARKIFY_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const w = { process: proc, output: () => out, exited: new Promise<number | null>((r) => proc.on('exit', (code) => r(code))) };
    workers.push(w);
    return w;
  };
  return { engine, url: db.url, startWorker };
}

/**
 * Waits until `check` holds, looking every 50 ms (the state is another process's: there is nothing to subscribe to);
 * fails after `ms` with `what`.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
