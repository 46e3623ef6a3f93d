// `npm test`: provisions a throwaway PostgreSQL server (unless SPARKIFY_TEST_PG_URL already names one), runs
// `node --test` over test/**/*.test.ts — or over the files given, `npm test -- test/x.test.ts` — with the server's
// URL in SPARKIFY_TEST_PG_URL, stops the server whatever happens, and exits with the test run's exit code.
// Extra arguments go to `node --test` as they are (`npm test -- --test-name-pattern=loader`).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { startPostgres, type PostgresServer } from './servers/postgres-server.ts';

const root = resolve(import.meta.dirname, '..');
const defaultPattern = 'test/**/*.test.ts';
/** node --test flags whose value may follow as a separate argument (so it is not mistaken for a file). */
const flagsWithValue = new Set(['--test-name-pattern', '--test-skip-pattern', '--test-reporter', '--test-reporter-destination',
  '--test-concurrency', '--test-timeout', '--test-shard', '--import', '--require', '-r', '--conditions', '-C']);

function nodeTestArgs(extra: string[]): string[] {
  const args = ['--test'];
  if (!extra.some((a) => a.startsWith('--test-reporter'))) args.push('--test-reporter=spec');
  args.push(...extra);
  const hasFiles = extra.some((a, i) => !a.startsWith('-') && !flagsWithValue.has(extra[i - 1] ?? ''));
  if (!hasFiles) args.push(defaultPattern);
  return args;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(2)}s`;
const say = (line: string) => process.stderr.write(`[test] ${line}\n`);

async function provision(): Promise<{ url?: string; server?: PostgresServer }> {
  const external = process.env.SPARKIFY_TEST_PG_URL;
  if (external) {
    say('using the PostgreSQL server in SPARKIFY_TEST_PG_URL');
    return { url: external };
  }
  const started = performance.now();
  try {
    // Signals are ours to handle: the tests must finish before their server goes away.
    const server = await startPostgres({ handleSignals: false });
    say(`PostgreSQL ready at ${server.url} (${server.binDir}) in ${seconds(started)}`);
    return { url: server.url, server };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw error;
    say(`*** could not start PostgreSQL after ${seconds(started)}: ${message}`);
    say('*** database tests will be SKIPPED ***');
    return {};
  }
}

function runTests(args: string[], env: NodeJS.ProcessEnv, track: (child: ChildProcess) => void): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    track(child);
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 1)));
  });
}

async function main(): Promise<number> {
  let child: ChildProcess | undefined;
  let interrupted: NodeJS.Signals | undefined;
  // A terminal Ctrl-C reaches the test process too; a SIGTERM to us alone is passed on. Either way we wait for
  // the tests to end, then stop the server in `finally`.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    child?.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const { url, server } = await provision();
  try {
    if (interrupted) return 128 + constants.signals[interrupted];
    const env = { ...process.env, ...(url ? { SPARKIFY_TEST_PG_URL: url } : {}) };
    return await runTests(nodeTestArgs(process.argv.slice(2)), env, (c) => (child = c));
  } finally {
    if (server) {
      const stopping = performance.now();
      await server.stop();
      say(`PostgreSQL stopped in ${seconds(stopping)}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
