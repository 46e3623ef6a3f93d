/**
 * A throwaway Spark Connect server for tests and local runs: pyspark's jars (pyspark-install.ts) launched by its own
 * spark-submit as org.apache.spark.sql.connect.service.SparkConnectServer on local[2], every listener on 127.0.0.1,
 * the UI off, its warehouse, metastore and scratch space in a fresh temp dir, its log in a file there. Ready once a
 * `SELECT 1` through our own client answers. stop() kills its process group and removes the dir — as do exit and
 * SIGINT/SIGTERM/SIGHUP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causeText, SparkifyError } from '../../src/core/errors.ts';
import { track, untrack, type CleanupHandle } from './process-cleanup.ts';
import { ensurePyspark, pysparkVersion } from './pyspark-install.ts';

export interface SparkConnectServer {
  /** `sc://127.0.0.1:<port>`, for SparkSession.connect. */
  remote: string;
  port: number;
  version: string;
  baseDir: string;
  logFile: string;
  /** Seconds from the call to the first answered query (the install, when it ran, included). */
  startupSeconds: number;
  /** Kills the server's process group and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartSparkConnectOptions {
  version?: string;
  /** Driver heap (default 1 GiB): local mode runs the executors in the driver's JVM. */
  memoryMB?: number;
  /** Extra `--conf` settings. */
  conf?: Record<string, string>;
  /** Bound on launch to first answered query (default 180 s). */
  startTimeoutMs?: number;
  /** Stop on SIGINT/SIGTERM/SIGHUP (default true); see startPostgres for why the test runner passes false. */
  handleSignals?: boolean;
  log?: (line: string) => void;
}

export async function startSparkConnect(options: StartSparkConnectOptions = {}): Promise<SparkConnectServer> {
  const started = performance.now();
  const javaHome = findJavaHome();
  const { version, sparkHome } = await ensurePyspark(options.version ?? pysparkVersion, options.log);
  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  const baseDir = await mkdtemp(join(tmpdir(), 'sparkify-spark-'));
  const state: State = { baseDir };
  const handle = cleanup(state);
  track(handle, options.handleSignals ?? true);
  const logFile = join(baseDir, 'spark-connect.log');
  try {
    // The port we probe can be taken before the JVM binds it; a fresh one is tried a few times.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const conf: Record<string, string> = {
        'spark.connect.grpc.binding.address': '127.0.0.1', 'spark.connect.grpc.binding.port': String(port),
        'spark.driver.host': '127.0.0.1', 'spark.driver.bindAddress': '127.0.0.1', 'spark.ui.enabled': 'false',
        'spark.sql.warehouse.dir': join(baseDir, 'warehouse'), 'spark.local.dir': join(baseDir, 'scratch'),
        'spark.driver.extraJavaOptions': `-Dderby.system.home=${join(baseDir, 'derby')}`, 'spark.sql.session.timeZone': 'UTC',
        ...options.conf,
      };
      const args = ['--class', 'org.apache.spark.sql.connect.service.SparkConnectServer', '--master', 'local[2]',
        '--driver-memory', `${options.memoryMB ?? 1024}m`, ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
        '--name', 'sparkify-spark-connect', 'spark-internal'];
      const env = { ...process.env, SPARK_HOME: sparkHome, JAVA_HOME: javaHome, SPARK_LOCAL_IP: '127.0.0.1', SPARK_LOG_DIR: baseDir,
        SPARK_CONF_DIR: join(baseDir, 'conf'), TZ: 'UTC' };
      const proc = (state.proc = launch(join(sparkHome, 'bin', 'spark-submit'), args, env, logFile, baseDir));
      const remote = `sc://127.0.0.1:${port}`;
      const outcome = await waitUntilReady(remote, proc, deadline);
      if (outcome === 'ready') {
        return { remote, port, version, baseDir, logFile, startupSeconds: (performance.now() - started) / 1000, stop: handle.stop };
      }
      await killGroup(proc);
      const log = readTail(logFile);
      if (outcome === 'exited' && /Address already in use|Failed to bind/i.test(log) && attempt < 3) continue;
      const what = outcome === 'exited' ? 'exited during startup' : 'did not answer a query in time';
      throw new SparkifyError('SPK_E_SERVER', `Spark Connect ${version} ${what}${causeText(proc.spawnError)}; end of its log (${logFile}):\n${log}`,
        { cause: proc.spawnError });
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/** Spark 4 runs on Java 17 or 21: $JAVA_HOME's, then `java` on PATH, then any JDK under /usr/lib/jvm. */
export function findJavaHome(): string {
  const jvmRoot = '/usr/lib/jvm';
  const candidates = [
    ...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin', 'java')] : []),
    'java',
    ...(existsSync(jvmRoot) ? readdirSync(jvmRoot).sort().map((d) => join(jvmRoot, d, 'bin', 'java')) : []),
  ];
  for (const java of candidates) {
    const probe = spawnSync(java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) continue;
    const major = Number(/java\.specification\.version = (\d+)/.exec(probe.stderr)?.[1] ?? 0);
    const home = /java\.home = (.+)/.exec(probe.stderr)?.[1]?.trim();
    if ((major === 17 || major === 21) && home) return home;
  }
  throw new SparkifyError('SPK_E_SERVER', "Spark 4 needs Java 17 or 21 (install Debian's openjdk-17-jre-headless, or point JAVA_HOME at one)");
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  spawnError?: Error;
}

interface State {
  baseDir: string;
  proc?: Running;
}

function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd: string): Running {
  const out = openSync(logFile, 'a');
  // Its own process group: spark-submit is a shell script that execs the JVM, and stop() kills the group whole.
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
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

async function waitUntilReady(remote: string, proc: Running, deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
  let gone = false;
  void proc.exited.then(() => (gone = true));
  const pause = (ms: number) => Promise.race([proc.exited, new Promise((resolve) => setTimeout(resolve, ms))]);
  // Loaded here, not at the top: it needs the generated protobuf code, and a runner that imports this file should not.
  const { SparkSession } = await import('../../src/engines/spark/spark-session.ts');
  const port = Number(remote.slice(remote.lastIndexOf(':') + 1));
  while (Date.now() < deadline && !gone) {
    // The port first: a gRPC call to a closed port puts grpc-js's shared subchannel into reconnect backoff (1 s,
    // 1.6 s, 2.6 s, …), which cost ~15 s of start-up when every probe was a query.
    if (!(await portAccepts(port))) {
      await pause(200);
      continue;
    }
    const session = SparkSession.connect(remote);
    try {
      await session.sql('SELECT 1').collect({ signal: AbortSignal.timeout(20_000) });
      return 'ready';
    } catch {
      await pause(500);
    } finally {
      await session.stop();
    }
  }
  return gone ? 'exited' : 'timeout';
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

/** SIGKILL to the group: the server holds nothing worth a drain, its data is thrown away next. */
async function killGroup({ child, exited }: Running): Promise<void> {
  if (!running(child)) return;
  child.ref();
  killGroupSync(child);
  await exited;
}

function killGroupSync(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function cleanup(state: State): CleanupHandle {
  let stopping: Promise<void> | undefined;
  const handle: CleanupHandle = {
    stop: () =>
      (stopping ??= (async () => {
        untrack(handle);
        if (state.proc) await killGroup(state.proc);
        await rm(state.baseDir, { recursive: true, force: true });
      })()),
    stopSync: () => {
      if (state.proc && running(state.proc.child)) killGroupSync(state.proc.child);
      rmSync(state.baseDir, { recursive: true, force: true });
    },
  };
  return handle;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function readTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

