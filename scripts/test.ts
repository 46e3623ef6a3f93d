// `npm test`: provisions a throwaway PostgreSQL server (unless SPARKIFY_TEST_PG_URL already names one) and, in
// parallel, a throwaway single-node Cassandra (unless SPARKIFY_TEST_CASSANDRA already names a contact point), runs
// `node --test` over test/**/*.test.ts — or over the files given, `npm test -- test/x.test.ts` — with the server's
// URL in SPARKIFY_TEST_PG_URL and the node's contact point and data center in SPARKIFY_TEST_CASSANDRA and
// SPARKIFY_TEST_CASSANDRA_DC, stops both whatever happens, and exits with the test run's exit code. An S3-compatible
// server (versitygw) starts alongside, unless SPARKIFY_TEST_S3_ENDPOINT already names one; its endpoint and this
// run's keys go to the tests in SPARKIFY_TEST_S3_ENDPOINT, SPARKIFY_TEST_S3_ACCESS_KEY_ID, SPARKIFY_TEST_S3_SECRET_ACCESS_KEY.
// A Spark Connect server (pyspark's jars, servers/spark-connect-server.ts) starts alongside too, unless
// SPARKIFY_TEST_SPARK_REMOTE already names one; its sc:// address goes to the tests in SPARKIFY_TEST_SPARK_REMOTE.
// Debian's headless Chromium (servers/chromium.ts) is found or installed for the browser tests of the web UI, unless
// SPARKIFY_TEST_CHROMIUM already names one; its path goes to the tests in SPARKIFY_TEST_CHROMIUM.
// Airflow's Python REST client (servers/airflow-client-install.ts, a venv made once) is installed for the API's client
// test, unless SPARKIFY_TEST_AIRFLOW_CLIENT_PYTHON already names its python; the path goes to the tests there.
// It also builds the WebAssembly check (scripts/build-wasm.ts) if its source is newer than the module, and the Spark
// Connect client's protobuf code (scripts/build-spark-connect.ts) if it is missing.
// Extra arguments go to `node --test` as they are (`npm test -- --test-name-pattern=loader`).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { startCassandra, type CassandraServer } from './servers/cassandra-server.ts';
import { startPostgres, type PostgresServer } from './servers/postgres-server.ts';
import { startS3Server, type S3Server } from './servers/s3-server.ts';
import { startSparkConnect, type SparkConnectServer } from './servers/spark-connect-server.ts';
import { ensureChromium } from './servers/chromium.ts';
import { ensureAirflowClient } from './servers/airflow-client-install.ts';
import { ensureHttpfs } from './servers/httpfs-extension.ts';
import { buildWasm } from './build-wasm.ts';
import { buildSparkConnect } from './build-spark-connect.ts';

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

async function provisionPostgres(): Promise<{ url?: string; server?: PostgresServer }> {
  const external = process.env.SPARKIFY_TEST_PG_URL;
  if (external) {
    say('using the PostgreSQL server in SPARKIFY_TEST_PG_URL');
    return { url: external };
  }
  const started = performance.now();
  try {
    // Signals are ours to handle: the tests must finish before their servers go away.
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

async function provisionCassandra(): Promise<{ env: NodeJS.ProcessEnv; server?: CassandraServer }> {
  const external = process.env.SPARKIFY_TEST_CASSANDRA;
  if (external) {
    say('using the Cassandra node in SPARKIFY_TEST_CASSANDRA');
    return { env: {} };
  }
  const started = performance.now();
  try {
    const server = await startCassandra({ handleSignals: false });
    say(`Cassandra ${server.version} ready at ${server.contactPoint} (${server.localDataCenter}) in ${seconds(started)}`);
    return { env: { SPARKIFY_TEST_CASSANDRA: server.contactPoint, SPARKIFY_TEST_CASSANDRA_DC: server.localDataCenter }, server };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw error;
    say(`*** could not start Cassandra after ${seconds(started)}: ${message}`);
    say('*** Cassandra tests will be SKIPPED ***');
    return { env: {} };
  }
}

async function provisionS3(): Promise<{ env: NodeJS.ProcessEnv; server?: S3Server }> {
  if (process.env.SPARKIFY_TEST_S3_ENDPOINT) {
    say('using the S3 server in SPARKIFY_TEST_S3_ENDPOINT');
    return { env: {} };
  }
  const started = performance.now();
  try {
    const server = await startS3Server({ handleSignals: false, log: say });
    say(`S3 (versitygw) ready at ${server.endpoint} in ${seconds(started)}`);
    return {
      env: { SPARKIFY_TEST_S3_ENDPOINT: server.endpoint, SPARKIFY_TEST_S3_ACCESS_KEY_ID: server.accessKeyId, SPARKIFY_TEST_S3_SECRET_ACCESS_KEY: server.secretAccessKey },
      server,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw error;
    say(`*** could not start the S3 server after ${seconds(started)}: ${message}`);
    say('*** S3 tests will be SKIPPED ***');
    return { env: {} };
  }
}

/**
 * The Spark Connect server; it needs the client's generated code (readiness is a query through our client), so that
 * is built first, here. Without a server the Spark tests skip loudly; under CI a failure fails the run.
 */
async function provisionSpark(): Promise<{ env: NodeJS.ProcessEnv; server?: SparkConnectServer }> {
  const started = performance.now();
  try {
    await buildSparkConnect(say);
    if (process.env.SPARKIFY_TEST_SPARK_REMOTE) {
      say('using the Spark Connect server in SPARKIFY_TEST_SPARK_REMOTE');
      return { env: {} };
    }
    const server = await startSparkConnect({ handleSignals: false, log: say });
    say(`Spark Connect (pyspark ${server.version}) ready at ${server.remote} in ${seconds(started)}`);
    return { env: { SPARKIFY_TEST_SPARK_REMOTE: server.remote }, server };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw error;
    say(`*** could not start Spark Connect after ${seconds(started)}: ${message}`);
    say('*** Spark tests will be SKIPPED ***');
    return { env: {} };
  }
}

/**
 * DuckDB's httpfs extension (servers/httpfs-extension.ts), which the tests of DuckDB reading S3 itself need. Under CI
 * an install that fails fails the run; elsewhere those tests say loudly that they skip.
 */
async function provisionHttpfs(): Promise<void> {
  const started = performance.now();
  try {
    const path = await ensureHttpfs(say);
    say(`DuckDB httpfs extension: ${path} (${seconds(started)})`);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    say(`WARNING: DuckDB's httpfs extension is not installed (${error instanceof Error ? error.message : String(error)}); its tests will skip`);
  }
}

/** The browser of the web UI's tests: a path, not a server (each test launches its own). */
async function provisionChromium(): Promise<{ env: NodeJS.ProcessEnv }> {
  if (process.env.SPARKIFY_TEST_CHROMIUM) {
    say('using the Chromium in SPARKIFY_TEST_CHROMIUM');
    return { env: {} };
  }
  try {
    const path = await ensureChromium(say);
    say(`Chromium: ${path}`);
    return { env: { SPARKIFY_TEST_CHROMIUM: path } };
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    say(`*** ${error instanceof Error ? error.message : String(error)}`);
    say('*** browser tests will be SKIPPED ***');
    return { env: {} };
  }
}

/** Airflow's own Python client, which the API's compatibility test drives the server with: a venv's python. */
async function provisionAirflowClient(): Promise<{ env: NodeJS.ProcessEnv }> {
  if (process.env.SPARKIFY_TEST_AIRFLOW_CLIENT_PYTHON) return { env: {} };
  try {
    return { env: { SPARKIFY_TEST_AIRFLOW_CLIENT_PYTHON: await ensureAirflowClient(say) } };
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    say(`*** ${error instanceof Error ? error.message : String(error)}`);
    say('*** the Airflow Python client test will be SKIPPED ***');
    return { env: {} };
  }
}

/** The WebAssembly check (npm ci builds it; again here if its source changed since). */
async function provisionWasm(): Promise<void> {
  try {
    await buildWasm(say);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    say(`WARNING: the WebAssembly check could not be built (${error instanceof Error ? error.message : String(error)}); its tests will skip`);
  }
}

/** The servers start in parallel (Cassandra's JVM takes the longest); if one fails under CI, the others stop. */
async function provision(): Promise<{ env: NodeJS.ProcessEnv; stops: { name: string; stop(): Promise<void> }[] }> {
  const [pg, cassandra, s3, spark, httpfs, wasm, chromium, airflowClient] = await Promise.allSettled([provisionPostgres(), provisionCassandra(), provisionS3(),
    provisionSpark(), provisionHttpfs(), provisionWasm(), provisionChromium(), provisionAirflowClient()]);
  const stops: { name: string; stop(): Promise<void> }[] = [];
  if (pg.status === 'fulfilled' && pg.value.server) stops.push({ name: 'PostgreSQL', stop: pg.value.server.stop });
  if (cassandra.status === 'fulfilled' && cassandra.value.server) stops.push({ name: 'Cassandra', stop: cassandra.value.server.stop });
  if (s3.status === 'fulfilled' && s3.value.server) stops.push({ name: 'S3 (versitygw)', stop: s3.value.server.stop });
  if (spark.status === 'fulfilled' && spark.value.server) stops.push({ name: 'Spark Connect', stop: spark.value.server.stop });
  const failed = [pg, cassandra, s3, spark, httpfs, wasm, chromium, airflowClient].find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(stops);
    throw failed.reason;
  }
  const env: NodeJS.ProcessEnv = {};
  if (pg.status === 'fulfilled' && pg.value.url) env.SPARKIFY_TEST_PG_URL = pg.value.url;
  if (cassandra.status === 'fulfilled') Object.assign(env, cassandra.value.env);
  if (s3.status === 'fulfilled') Object.assign(env, s3.value.env);
  if (spark.status === 'fulfilled') Object.assign(env, spark.value.env);
  if (chromium.status === 'fulfilled') Object.assign(env, chromium.value.env);
  if (airflowClient.status === 'fulfilled') Object.assign(env, airflowClient.value.env);
  return { env, stops };
}

async function stopAll(stops: { name: string; stop(): Promise<void> }[]): Promise<void> {
  await Promise.all(stops.map(async ({ name, stop }) => {
    const stopping = performance.now();
    await stop();
    say(`${name} stopped in ${seconds(stopping)}`);
  }));
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

  const { env, stops } = await provision();
  try {
    if (interrupted) return 128 + constants.signals[interrupted];
    return await runTests(nodeTestArgs(process.argv.slice(2)), { ...process.env, ...env }, (c) => (child = c));
  } finally {
    await stopAll(stops);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
