// `node scripts/servers/cassandra-cli.ts`: a throwaway single-node Cassandra for runs and benchmarks by hand.
// Prints the contact point on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_CASSANDRA=<contact point> npm test      reuses it instead of starting one per run.
import { startCassandra } from './cassandra-server.ts';

try {
  // We stop it ourselves on signals, so that the process then ends normally.
  const server = await startCassandra({ handleSignals: false });
  process.stdout.write(`${server.contactPoint}\n`);
  process.stderr.write(`Cassandra ${server.version} ready in ${server.startupSeconds.toFixed(2)}s (data center ` +
    `${server.localDataCenter}, dir ${server.baseDir}, log ${server.logFile}); Ctrl-C stops it.\n`);
  // Signal listeners do not keep Node alive; this timer does until we are told to stop.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping Cassandra…\n`);
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
