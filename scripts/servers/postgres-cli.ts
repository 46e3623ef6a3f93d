// `node scripts/servers/postgres-cli.ts`: a throwaway PostgreSQL server for runs and benchmarks by hand.
// Prints the superuser URL on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_PG_URL=<url> npm test      reuses it instead of starting one per run.
import { startPostgres } from './postgres-server.ts';

const started = performance.now();
try {
  // We stop it ourselves on signals, so that the process then ends normally.
  const server = await startPostgres({ handleSignals: false });
  const elapsed = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`PostgreSQL ready in ${elapsed}s (data ${server.dataDir}, log ${server.logFile}); Ctrl-C stops it.\n`);
  // Signal listeners do not keep Node alive; this timer does until we are told to stop.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping PostgreSQL…\n`);
    clearInterval(keepAlive);
    server.stop().then(
      () => process.stderr.write('stopped.\n'),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, shutdown);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
