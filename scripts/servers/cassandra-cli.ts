// `node scripts/servers/cassandra-cli.ts`: a throwaway single-node Cassandra for runs and benchmarks by hand.
// Prints the contact point on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_CASSANDRA=<contact point> npm test      reuses it instead of starting one per run.
import { startCassandra } from './cassandra-server.ts';
import { serveUntilSignal } from './serve-until-signal.ts';

await serveUntilSignal('Cassandra', () => startCassandra({ handleSignals: false }), (server) => ({
  stdout: server.contactPoint,
  stderr: `Cassandra ${server.version} ready in ${server.startupSeconds.toFixed(2)}s (data center ${server.localDataCenter}, dir ${server.baseDir}, log ${server.logFile})`,
}));
