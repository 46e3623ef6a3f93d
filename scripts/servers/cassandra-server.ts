/**
 * A throwaway single-node Apache Cassandra 5 for tests and benchmarks: jars from Maven Central (cached), a minimal
 * config in a fresh temp dir, CassandraDaemon on Java 17 with a 1 GiB heap, listening on 127.0.0.1 only. stop()
 * kills the JVM and removes the dir — as do exit and SIGINT/SIGTERM/SIGHUP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { causeText, SparkifyError } from '../../src/core/errors.ts';
import { cassandraYaml, jvmArgs, logbackXml, nodeSettings, type YamlSettings } from './cassandra-config.ts';
import { cassandraVersion, ensureCassandraJars } from './cassandra-jars.ts';
import { track, untrack, type CleanupHandle } from './process-cleanup.ts';

export interface CassandraServer {
  /** `127.0.0.1:<port>`, ready for the driver's contactPoints. */
  contactPoint: string;
  port: number;
  /** The node's data center (SimpleSnitch's), which the driver's load balancing needs. */
  localDataCenter: string;
  version: string;
  baseDir: string;
  logFile: string;
  /** Seconds from the call to the first answered CQL query. */
  startupSeconds: number;
  /** Kills the JVM and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartCassandraOptions {
  version?: string;
  heapMB?: number;
  /** Extra or overriding cassandra.yaml settings (top-level scalars). */
  settings?: YamlSettings;
  /** Bound on JVM start to first answered query (default 180 s: two busy cores can make it slow). */
  startTimeoutMs?: number;
  /** Stop on SIGINT/SIGTERM/SIGHUP (default true); see startPostgres for why the test runner passes false. */
  handleSignals?: boolean;
}

export async function startCassandra(options: StartCassandraOptions = {}): Promise<CassandraServer> {
  const started = performance.now();
  const java = findJava();
  const { version, libDir } = await ensureCassandraJars(options.version ?? cassandraVersion);
  const jars = readdirSync(libDir).filter((f) => f.endsWith('.jar')).sort();
  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  const baseDir = await mkdtemp(join(tmpdir(), 'sparkify-cassandra-'));
  const node: NodeState = { baseDir };
  const handle = cleanup(node);
  track(handle, options.handleSignals ?? true);
  try {
    await Promise.all(['conf', 'logs'].map((d) => mkdir(join(baseDir, d))));
    const logFile = join(baseDir, 'logs', 'system.log');
    await writeFile(join(baseDir, 'conf', 'logback.xml'), logbackXml(join(baseDir, 'logs')));
    // The ports we probe can be taken before the JVM binds them; a fresh pair is tried a few times.
    for (let attempt = 1; ; attempt++) {
      const [nativePort, storagePort] = await freePorts(2);
      const layout = { baseDir, nativePort: nativePort as number, storagePort: storagePort as number };
      await writeFile(join(baseDir, 'conf', 'cassandra.yaml'), cassandraYaml(layout, { ...nodeSettings(layout), ...options.settings }));
      const args = jvmArgs({ libDir, jars, baseDir, heapMB: options.heapMB ?? 1024 });
      const proc = (node.proc = launch(java, args, join(baseDir, 'logs', 'stdout.log'), baseDir));
      const outcome = await waitUntilReady(layout.nativePort, proc, deadline);
      if (outcome === 'ready') {
        const startupSeconds = (performance.now() - started) / 1000;
        return { contactPoint: `127.0.0.1:${layout.nativePort}`, port: layout.nativePort, localDataCenter: 'datacenter1',
          version, baseDir, logFile, startupSeconds, stop: handle.stop };
      }
      await killJvm(proc);
      const log = `${readTail(logFile)}\n${readTail(join(baseDir, 'logs', 'stdout.log'))}`;
      if (outcome === 'exited' && /Address already in use|Failed to bind/i.test(log) && attempt < 3) continue;
      const what = outcome === 'exited' ? 'exited during startup' : 'did not answer CQL in time';
      throw serverError(`Cassandra ${version} ${what}${causeText(proc.spawnError)}; end of its logs:\n${log}`, proc.spawnError);
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/**
 * The first Java that Cassandra 5.0 runs on (17, else 11): $JAVA_HOME's, then `java` on PATH, then any JDK under
 * /usr/lib/jvm. Machines often carry a newer JDK too (here a Temurin 25), on which 5.0 does not start.
 */
function findJava(): string {
  const jvmRoot = '/usr/lib/jvm';
  const candidates = [
    ...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin', 'java')] : []),
    'java',
    ...(existsSync(jvmRoot) ? readdirSync(jvmRoot).sort().map((d) => join(jvmRoot, d, 'bin', 'java')) : []),
  ];
  const seen: string[] = [];
  for (const preferred of [17, 11]) {
    for (const java of candidates) {
      const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) continue;
      const major = Number(/version "(?:1\.)?(\d+)/.exec(probe.stderr)?.[1] ?? 0);
      if (major === preferred) return java;
      if (preferred === 17) seen.push(`${java} (Java ${major || '?'})`);
    }
  }
  throw serverError(`Cassandra 5.0 needs Java 17 or 11; found ${seen.length ? seen.join(', ') : 'no java at all'} ` +
    "(install Debian's openjdk-17-jre-headless, or point JAVA_HOME at a JDK 17)");
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  spawnError?: Error;
}

interface NodeState {
  baseDir: string;
  proc?: Running;
}

function launch(java: string, args: string[], outFile: string, cwd: string): Running {
  const out = openSync(outFile, 'a');
  // Own process group, so a terminal Ctrl-C reaches us first and we stop the node after our children.
  const child = spawn(java, args, { cwd, stdio: ['ignore', out, out], detached: true });
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

/** The native port opens last in start-up; once it accepts, one real query proves the node serves CQL. */
async function waitUntilReady(port: number, proc: Running, deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
  let gone = false;
  void proc.exited.then(() => (gone = true));
  const pause = (ms: number) => Promise.race([proc.exited, new Promise((resolve) => setTimeout(resolve, ms))]);
  while (Date.now() < deadline && !gone) {
    if (!(await portAccepts(port))) {
      await pause(250);
      continue;
    }
    const client = new cassandra.Client({ contactPoints: [`127.0.0.1:${port}`], localDataCenter: 'datacenter1',
      socketOptions: { connectTimeout: 5_000, readTimeout: 10_000 } });
    try {
      await client.connect();
      await client.execute('SELECT release_version FROM system.local');
      return 'ready';
    } catch {
      await pause(500);
    } finally {
      await client.shutdown().catch(() => {});
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

/**
 * SIGKILL, not a drain: the data is thrown away next, and Cassandra's SIGTERM hook (flush memtables, stop gossip,
 * wait for the commit log) takes over 5 s on an idle node.
 */
async function killJvm({ child, exited }: Running): Promise<void> {
  if (!running(child)) return;
  child.ref();
  child.kill('SIGKILL');
  await exited;
}

function cleanup(node: NodeState): CleanupHandle {
  let stopping: Promise<void> | undefined;
  const handle: CleanupHandle = {
    stop: () =>
      (stopping ??= (async () => {
        untrack(handle);
        if (node.proc) await killJvm(node.proc);
        await rm(node.baseDir, { recursive: true, force: true });
      })()),
    stopSync: () => {
      if (node.proc && running(node.proc.child)) node.proc.child.kill('SIGKILL');
      rmSync(node.baseDir, { recursive: true, force: true });
    },
  };
  return handle;
}

async function freePorts(count: number): Promise<number[]> {
  // Held open together so that the ports differ.
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve(probe));
  })));
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function readTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

const serverError = (message: string, cause?: unknown) => new SparkifyError('SPK_E_SERVER', message, { cause });
