// `node scripts/servers/postgres-cli.ts`: a throwaway PostgreSQL server for runs and benchmarks by hand.
// Prints the superuser URL on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_PG_URL=<url> npm test      reuses it instead of starting one per run.
import { startPostgres } from './postgres-server.ts';
import { serveUntilSignal } from './serve-until-signal.ts';

// We stop it ourselves on signals, so that the process then ends normally.
await serveUntilSignal('PostgreSQL', () => startPostgres({ handleSignals: false }), (server, seconds) => ({
  stdout: server.url,
  stderr: `PostgreSQL ready in ${seconds.toFixed(2)}s (data ${server.dataDir}, log ${server.logFile})`,
}));
