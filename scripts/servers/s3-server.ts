/**
 * A throwaway S3-compatible server for tests, benchmarks and local runs: versitygw with its posix backend in a
 * fresh temp dir, on a free 127.0.0.1 port, with access keys generated for this run only (handed to the
 * process through its environment, never on its command line). stop() — or exit/SIGINT/SIGTERM/SIGHUP — stops
 * it and removes the directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { SparkifyError } from '../../src/core/errors.ts';
import { track, untrack, type CleanupHandle } from './process-cleanup.ts';
import { ensureVersitygw } from './versitygw-binary.ts';

export interface S3Server {
  /** http://127.0.0.1:<port>, for path-style requests. */
  endpoint: string;
  port: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The posix backend's root: one sub-directory per bucket. */
  dataDir: string;
  logFile: string;
  binary: string;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartS3Options {
  binary?: string;
  startTimeoutMs?: number;
  /** Stop on SIGINT/SIGTERM/SIGHUP (default true); the synchronous cleanup on exit is registered either way. */
  handleSignals?: boolean;
  log?: (line: string) => void;
}

const region = 'us-east-1';

export async function startS3Server(options: StartS3Options = {}): Promise<S3Server> {
  const binary = options.binary ?? await ensureVersitygw(options.log);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const baseDir = await mkdtemp(join(tmpdir(), 'sparkify-s3-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'versitygw.log');
  await mkdir(dataDir);
  const accessKeyId = `SPK${randomBytes(9).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64url');
  const state: { baseDir: string; child?: ChildProcess; exited?: Promise<void> } = { baseDir };
  const handle = cleanup(state);
  track(handle, options.handleSignals ?? true);
  try {
    // The free port can be taken between our probe and the server's bind; try a fresh one a few times.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const endpoint = `http://127.0.0.1:${port}`;
      const log = openSync(logFile, 'a');
      // --keep-alive: without it the gateway closes every connection after one request, and a load of thousands of
      // small song objects spends its time opening TCP connections.
      const child = spawn(binary, ['--port', `127.0.0.1:${port}`, '--region', region, '--quiet', '--keep-alive', 'posix', dataDir], {
        cwd: baseDir,
        env: { ...process.env, ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secretAccessKey },
        stdio: ['ignore', log, log],
        // Own process group: a terminal Ctrl-C reaches us, and we stop the server after the work using it.
        detached: true,
      });
      closeSync(log);
      child.unref();
      state.child = child;
      state.exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', () => resolve());
      });
      const outcome = await waitUntilReady({ endpoint, accessKeyId, secretAccessKey }, state.exited, deadline);
      if (outcome === 'ready') {
        return { endpoint, port, region, accessKeyId, secretAccessKey, dataDir, logFile, binary, stop: handle.stop };
      }
      await stopChild(state);
      const text = readTail(logFile);
      if (outcome === 'exited' && /address already in use/i.test(text) && attempt < 3) continue;
      throw new SparkifyError('SPK_E_SERVER', `versitygw ${outcome === 'exited' ? 'exited during startup' : 'did not answer in time'}; end of its log:\n${text}`);
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/** Ready means a signed ListBuckets succeeds: the port is open and the keys are accepted. */
async function waitUntilReady(credentials: { endpoint: string; accessKeyId: string; secretAccessKey: string }, exited: Promise<void>, deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => (gone = true));
  const client = new S3Client({
    region, endpoint: credentials.endpoint, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  });
  try {
    while (Date.now() < deadline) {
      if (gone) return 'exited';
      try {
        await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
        return 'ready';
      } catch {
        // Refused while starting: poll again.
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
    return gone ? 'exited' : 'timeout';
  } finally {
    client.destroy();
  }
}

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null && child.pid !== undefined;

async function stopChild(state: { child?: ChildProcess; exited?: Promise<void> }): Promise<void> {
  if (!running(state.child)) return;
  const child = state.child;
  child.ref();
  child.kill('SIGTERM');
  const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await state.exited;
  clearTimeout(hard);
}

function cleanup(state: { baseDir: string; child?: ChildProcess; exited?: Promise<void> }): CleanupHandle {
  let stopping: Promise<void> | undefined;
  const handle: CleanupHandle = {
    stop: () =>
      (stopping ??= (async () => {
        untrack(handle);
        await stopChild(state);
        await rm(state.baseDir, { recursive: true, force: true });
      })()),
    // For the exit hook, where nothing can be awaited: the gateway holds no state worth a graceful stop.
    stopSync: () => {
      if (running(state.child)) state.child.kill('SIGKILL');
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
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}
