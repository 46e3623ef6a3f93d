/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a fresh temp dir, start on a free loopback
 * port with durability switched off, and remove everything on stop() — or on exit/SIGINT/SIGTERM/SIGHUP.
 * Installs Debian's `postgresql` package when no server binaries are found.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { causeText, SparkifyError } from '../../src/core/errors.ts';
import { runCommand } from './run-command.ts';

export interface PostgresServer {
  /** Superuser (`postgres`, trust auth) URL of database `postgres` on 127.0.0.1. */
  url: string;
  port: number;
  /** The cluster's data directory (PGDATA); its parent temp dir also holds the socket and the log. */
  dataDir: string;
  logFile: string;
  binDir: string;
  /** Fast shutdown, then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /**
   * Fast shutdown (clients' connections are cut), then `whileDown` (awaited: a test watches its clients fail), then
   * the server again on the same data directory, port and settings; resolves once it accepts connections. The data
   * is kept. For tests of clients that must survive their server restarting.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

export interface StartPostgresOptions {
  /** Directory holding `initdb` and `postgres`; default: found (or installed, see `install`). */
  binDir?: string;
  /** Install Debian's `postgresql` with apt-get when no binaries are found (default true). */
  install?: boolean;
  /** Extra or overriding server settings, passed as `-c name=value`. */
  settings?: Record<string, string | number>;
  /** Bound on initdb + start + first connection (default 60 s). */
  startTimeoutMs?: number;
  /**
   * Stop the server on SIGINT/SIGTERM/SIGHUP (default true). A caller that must stop other work first
   * (the test runner waits for its test process) passes false and calls stop() itself; the synchronous
   * cleanup on process exit stays registered either way.
   */
  handleSignals?: boolean;
}

type OsUser = { uid: number; gid: number } | undefined;

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = options.binDir ?? findPostgresBinDir() ?? (options.install === false ? undefined : await installPostgres());
  if (!binDir) throw serverError('PostgreSQL server binaries (initdb, postgres) not found; install postgresql or pass binDir');
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const user = serverOsUser();
  const baseDir = await mkdtemp(join(tmpdir(), 'sparkify-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'postgres.log');
  const cluster: Cluster = { baseDir, dataDir, binDir, spawnAs: { cwd: baseDir, uid: user?.uid, gid: user?.gid, env: serverEnv() } };
  // Tracked from the start, so an interrupt at any point below still removes the dir and stops the server.
  const handle = cleanup(cluster);
  track(handle, options.handleSignals ?? true);
  try {
    // initdb and postgres refuse to run as root; as root they run as `postgres`, which must own the temp dir.
    if (user) await chown(baseDir, user.uid, user.gid);
    const init = await runCommand(join(binDir, 'initdb'), initdbArgs(dataDir), { ...cluster.spawnAs, timeout: remaining(deadline) });
    if (init.code !== 0) {
      const how = init.error ? `could not run${causeText(init.error)}`
        : init.code === null ? 'was stopped (timeout or signal)' : `failed (exit ${init.code})`;
      throw serverError(`initdb ${how}: ${tail(init.output)}`, init.error);
    }
    requirePasswordsOfGroup(dataDir);
    // The free port can be taken between our probe and the server's bind; try a fresh one a few times.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = { ...serverSettings(baseDir, port), ...options.settings };
      const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
      const proc = (cluster.proc = launch(join(binDir, 'postgres'), dataDir, settings, logFile, cluster.spawnAs));
      const outcome = await waitUntilReady(url, proc.exited, deadline);
      if (outcome === 'ready') {
        const restart = (whileDown?: () => Promise<void>) => restartServer(cluster, { settings, logFile, url, timeoutMs: options.startTimeoutMs ?? 60_000 }, whileDown);
        return { url, port, dataDir, logFile, binDir, stop: handle.stop, restart };
      }
      await stopChild(proc);
      const log = readTail(logFile);
      if (outcome === 'exited' && /could not bind|already in use/i.test(log) && attempt < 3) continue;
      const what = outcome === 'exited' ? 'exited during startup' : 'did not accept connections in time';
      throw serverError(`postgres ${what}${causeText(proc.spawnError)}; end of its log:\n${log}`, proc.spawnError);
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

async function restartServer(cluster: Cluster, how: { settings: Record<string, string | number>; logFile: string; url: string; timeoutMs: number },
  whileDown?: () => Promise<void>): Promise<void> {
  if (cluster.stopped) throw serverError('restart() after stop(): the server and its data are gone');
  if (cluster.proc) await stopChild(cluster.proc);
  await whileDown?.();
  if (cluster.stopped) throw serverError('stop() was called while the server was down for its restart');
  const proc = (cluster.proc = launch(join(cluster.binDir, 'postgres'), cluster.dataDir, how.settings, how.logFile, cluster.spawnAs));
  const outcome = await waitUntilReady(how.url, proc.exited, Date.now() + how.timeoutMs);
  if (outcome === 'ready') return;
  await stopChild(proc);
  // Its port, free while it was down, may have been taken by another process meanwhile: then the log says so.
  const what = outcome === 'exited' ? 'exited while restarting' : 'did not accept connections in time after its restart';
  throw serverError(`postgres ${what}${causeText(proc.spawnError)}; end of its log:\n${readTail(how.logFile)}`, proc.spawnError);
}

/** Highest `/usr/lib/postgresql/<version>/bin` with a server, else `pg_config --bindir` if it has one. */
export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    if (hasServer(join(root, version, 'bin'))) return join(root, version, 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  return dir && hasServer(dir) ? dir : undefined;
}

const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));

async function installPostgres(): Promise<string | undefined> {
  const asRoot = process.getuid?.() === 0;
  process.stderr.write(`PostgreSQL server not found: installing Debian package 'postgresql' (apt-get${asRoot ? '' : ' via sudo -n'})…\n`);
  // `env` because sudo drops the caller's environment; the lock timeout lets parallel installers queue up.
  const apt = (...args: string[]) =>
    runCommand(asRoot ? 'env' : 'sudo', [...(asRoot ? [] : ['-n', 'env']), 'DEBIAN_FRONTEND=noninteractive', 'apt-get',
      '-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: ['ignore', 2, 2] });
  const install = () => apt('install', '-y', '--no-install-recommends', 'postgresql');
  const listsDir = '/var/lib/apt/lists';
  const haveLists = existsSync(listsDir) && readdirSync(listsDir).some((f) => f.includes('_Packages'));
  let result = haveLists ? await install() : undefined;
  // Missing or stale package lists (404s) are fixed by an update.
  if (result?.code !== 0) {
    const update = await apt('update');
    if (update.code === 0) result = await install();
    else result = update;
  }
  if (result.code !== 0) {
    throw serverError(`could not install PostgreSQL with apt-get (${result.error?.message ?? `exit ${result.code}`}); ` +
      `install the 'postgresql' package yourself${asRoot ? '' : ' or allow passwordless sudo'}`, result.error);
  }
  return findPostgresBinDir();
}

function serverOsUser(): OsUser {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw serverError("running as root, but there is no 'postgres' OS user to run initdb/postgres as");
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Members of this role log in with a password; everyone else is trusted on loopback. Tests of credentials create a
 * member (`CREATE ROLE … IN ROLE sparkify_password_login`) instead of rewriting pg_hba.conf while other tests run.
 */
export const passwordLoginGroup = 'sparkify_password_login';

/** Puts the password rule for passwordLoginGroup's members before initdb's trust rules (the first match wins). */
function requirePasswordsOfGroup(dataDir: string): void {
  const file = join(dataDir, 'pg_hba.conf');
  const rules = [`host all +${passwordLoginGroup} 127.0.0.1/32 scram-sha-256`, `host all +${passwordLoginGroup} ::1/128 scram-sha-256`];
  writeFileSync(file, `${rules.join('\n')}\n${readFileSync(file, 'utf8')}`);
}

function initdbArgs(dataDir: string): string[] {
  // Byte-order collation (fast, identical everywhere) with Unicode-aware upper()/lower().
  return ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=trust', '--encoding=UTF8',
    '--locale=C', '--lc-ctype=C.UTF-8', '--no-sync'];
}

function serverSettings(baseDir: string, port: number): Record<string, string | number> {
  return {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: baseDir,
    // A test server's data is disposable: trade durability for speed.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    // minimal WAL lets COPY into a table created in the same transaction skip WAL entirely.
    wal_level: 'minimal',
    max_wal_senders: 0,
    max_wal_size: '8GB',
    checkpoint_timeout: '30min',
    shared_buffers: '256MB',
    // Parallel test files each open a pool.
    max_connections: 200,
    // Containers often cap /dev/shm at 64 MB, which parallel hash joins overflow; files in PGDATA have no cap.
    dynamic_shared_memory_type: 'mmap',
    // JIT adds hundreds of milliseconds of compile time to big-but-quick queries and makes timings noisy.
    jit: 'off',
    lc_messages: 'C',
  };
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  spawnError?: Error;
}

function launch(postgres: string, dataDir: string, settings: Record<string, string | number>, logFile: string,
  spawnAs: SpawnOptions): Running {
  const log = openSync(logFile, 'a');
  // Own process group: a terminal Ctrl-C reaches us, and we stop the server in order, after our children.
  const child = spawn(postgres, ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    { ...spawnAs, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  // Unref'd so a caller that forgets stop() still exits; the exit hook then stops the server.
  child.unref();
  const proc: Running = { child, exited: Promise.resolve() };
  proc.exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      proc.spawnError = error;
      resolve();
    });
  });
  return proc;
}

async function waitUntilReady(url: string, exited: Promise<void>, deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) return 'exited';
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return 'ready';
    } catch {
      // Refused while starting, or 57P03 "the database system is starting up": poll again.
      await client.end().catch(() => {});
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  return gone ? 'exited' : 'timeout';
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

/** SIGINT to the postmaster is a fast shutdown — exactly what `pg_ctl stop -m fast` sends — and we can await it. */
async function stopChild({ child, exited }: Running): Promise<void> {
  if (!running(child)) return;
  child.ref();
  child.kill('SIGINT');
  const immediate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(immediate);
}

interface Cluster {
  baseDir: string;
  dataDir: string;
  binDir: string;
  spawnAs: SpawnOptions;
  proc?: Running;
  /** stop() was called: a restart must not bring the server back. */
  stopped?: boolean;
}

function cleanup(cluster: Cluster): Handle {
  let stopping: Promise<void> | undefined;
  const handle: Handle = {
    stop: () =>
      (stopping ??= (async () => {
        untrack(handle);
        cluster.stopped = true;
        if (cluster.proc) await stopChild(cluster.proc);
        await rm(cluster.baseDir, { recursive: true, force: true });
      })()),
    // For the exit hook, where nothing can be awaited: pg_ctl waits for the shutdown synchronously.
    stopSync: () => {
      if (cluster.proc && running(cluster.proc.child)) {
        const pgCtl = join(cluster.binDir, 'pg_ctl');
        spawnSync(pgCtl, ['stop', '-D', cluster.dataDir, '-m', 'fast', '-w', '-t', '30'], { ...cluster.spawnAs, stdio: 'ignore' });
      }
      rmSync(cluster.baseDir, { recursive: true, force: true });
    },
  };
  return handle;
}

// ---- process-wide cleanup of servers that are still running ----

type Handle = { stop(): Promise<void>; stopSync(): void };
/** Running servers, each with whether it is stopped on signals. */
const tracked = new Map<Handle, boolean>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function track(handle: Handle, onSignals: boolean): void {
  tracked.set(handle, onSignals);
  syncListeners();
}

function untrack(handle: Handle): void {
  tracked.delete(handle);
  syncListeners();
}

function syncListeners(): void {
  const wantSignals = [...tracked.values()].some(Boolean);
  process.removeListener('exit', onExit);
  if (tracked.size > 0) process.on('exit', onExit);
  for (const signal of signals) {
    process.removeListener(signal, onSignal);
    if (wantSignals) process.on(signal, onSignal);
  }
}

function onExit(): void {
  for (const handle of tracked.keys()) handle.stopSync();
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  const handles = [...tracked].filter(([, onSignals]) => onSignals).map(([handle]) => handle);
  await Promise.allSettled(handles.map((handle) => handle.stop()));
  // If nobody else listens any more, die by the signal as Node would have without us — which skips the exit
  // hook, so first clean up what a handleSignals=false caller left behind.
  if (process.listenerCount(signal) > 0) return;
  onExit();
  process.kill(process.pid, signal);
}

// ---- small helpers ----

function serverEnv(): NodeJS.ProcessEnv {
  // PG* variables of the caller (PGDATA, PGPORT, …) must not steer a private server.
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
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

function readTail(file: string): string {
  try {
    return tail(readFileSync(file, 'utf8'));
  } catch {
    return '(no log)';
  }
}

const remaining = (deadline: number) => Math.max(1, deadline - Date.now());

const tail = (text: string, lines = 25) => text.trimEnd().split('\n').slice(-lines).join('\n');

const serverError = (message: string, cause?: unknown) => new SparkifyError('SPK_E_SERVER', message, { cause });
