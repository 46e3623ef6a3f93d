/**
 * A throwaway Apache Airflow 3 on loopback, for the orchestrator benchmark's baseline: AIRFLOW_HOME in a fresh temp
 * dir, `airflow db migrate` against a database the caller made on its PostgreSQL server, then the three components as
 * child processes, each in a process group of its own: `api-server --host 127.0.0.1 --port <free>`,
 * `scheduler --skip-serve-logs` and `dag-processor` (never `airflow standalone`, which binds other interfaces).
 * LocalExecutor, no example DAGs, the simple auth manager with everyone an admin (nothing but loopback can reach it).
 * Settings and the database URL go through the environment, never the command line. stop() ends all three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkifyError } from '../../src/core/errors.ts';
import { ensureAirflow } from './airflow-install.ts';
import { track, untrack, type CleanupHandle } from './process-cleanup.ts';
import { runCommand } from './run-command.ts';

export interface AirflowServer {
  /** The REST API v2, e.g. http://127.0.0.1:PORT/api/v2 (no token needed: everyone is an admin). */
  apiUrl: string;
  home: string;
  /** Stops the three components (SIGTERM to each group, SIGKILL after 15 s) and removes AIRFLOW_HOME. Idempotent. */
  stop(): Promise<void>;
}

export interface StartAirflowOptions {
  /** postgres://… of an empty database on the benchmark's server (Airflow's metadata database). */
  databaseUrl: string;
  dagsFolder: string;
  /** core.parallelism: the LocalExecutor's worker processes. */
  parallelism: number;
  /** More AIRFLOW__SECTION__KEY settings. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

const components = [['api-server'], ['scheduler', '--skip-serve-logs'], ['dag-processor']] as const;

export async function startAirflow(options: StartAirflowOptions): Promise<AirflowServer> {
  const python = await ensureAirflow(options.log);
  const home = await mkdtemp(join(tmpdir(), 'sparkify-airflow-'));
  const port = await freePort();
  const env = airflowEnv(home, port, options);
  const children: ChildProcess[] = [];
  const handle: CleanupHandle = {
    stop: async () => {
      untrack(handle);
      await Promise.all(children.map((c) => stopGroup(c)));
      await rm(home, { recursive: true, force: true });
    },
    stopSync: () => {
      for (const c of children) killGroup(c, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
  track(handle, true);
  try {
    const migrate = await runCommand(python, ['-m', 'airflow', 'db', 'migrate'], { cwd: home, env });
    if (migrate.code !== 0) throw airflowError(`airflow db migrate failed (exit ${migrate.code}): ${tail(migrate.output)}`, migrate.error);
    for (const [name, ...flags] of components) {
      const args = name === 'api-server' ? ['--host', '127.0.0.1', '--port', String(port)] : flags;
      const logFile = join(home, `${name}.log`);
      const out = openSync(logFile, 'a');
      // detached: a group of its own, so stop() reaches the workers and gunicorn/uvicorn children it forks.
      const child = spawn(python, ['-m', 'airflow', name, ...args], { cwd: home, env, stdio: ['ignore', out, out], detached: true });
      closeSync(out);
      child.unref();
      children.push(child);
    }
    const apiUrl = `http://127.0.0.1:${port}/api/v2`;
    await waitHealthy(apiUrl, children, home, Date.now() + (options.startTimeoutMs ?? 180_000));
    return { apiUrl, home, stop: handle.stop };
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

function airflowEnv(home: string, port: number, o: StartAirflowOptions): NodeJS.ProcessEnv {
  // The caller's AIRFLOW_* and PG* variables must not steer a private instance.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AIRFLOW') && !k.startsWith('PG')));
  const db = new URL(o.databaseUrl);
  db.protocol = 'postgresql+psycopg2:';
  return {
    ...base,
    AIRFLOW_HOME: home,
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: db.toString(),
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    AIRFLOW__CORE__PARALLELISM: String(o.parallelism),
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__DAGS_FOLDER: o.dagsFolder,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: 'True',
    // Task processes report to the API server's execution API: it must be this instance's port.
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://127.0.0.1:${port}/execution/`,
    // One secret shared by the components (each would otherwise make its own, and the tasks' tokens would not verify).
    AIRFLOW__API_AUTH__JWT_SECRET: randomBytes(32).toString('hex'),
    AIRFLOW__API__SECRET_KEY: randomBytes(32).toString('hex'),
    // New DAG files are looked for every 5 s instead of 300 s: the benchmark waits for them before it starts a clock.
    AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '5',
    ...o.settings,
  };
}

/** Until /monitor/health says the scheduler and the DAG processor are healthy; a component that exits fails it. */
async function waitHealthy(apiUrl: string, children: ChildProcess[], home: string, deadline: number): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    const dead = children.findIndex((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead >= 0) {
      const name = components[dead]?.[0] ?? '?';
      throw airflowError(`airflow ${name} exited during startup; end of its log:\n${tail(readLog(join(home, `${name}.log`)))}`);
    }
    try {
      const res = await fetch(`${apiUrl}/monitor/health`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as Record<string, { status?: string | null }>;
      last = JSON.stringify(body);
      if (body.scheduler?.status === 'healthy' && body.dag_processor?.status === 'healthy') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw airflowError(`Airflow did not become healthy in time (last health: ${last || 'no answer'}); logs in ${home}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** SIGTERM to the group (Airflow's warm shutdown); the API server's uvicorn can linger, so SIGKILL after 15 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  child.ref();
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  // Children of the leader (LocalExecutor workers, task supervisors) that outlived it.
  killGroup(child, 'SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '(no log)';
  }
}

const tail = (text: string, lines = 25) => text.trimEnd().split('\n').slice(-lines).join('\n');

const airflowError = (message: string, cause?: unknown) => new SparkifyError('SPK_E_SERVER', message, { cause });
