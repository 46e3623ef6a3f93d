// `node scripts/servers/spark-connect-cli.ts`: a throwaway Spark Connect server for runs and benchmarks by hand.
// Prints the sc:// address on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_SPARK_REMOTE=<sc://…> npm test      reuses it instead of starting one per run.
//   SPARKIFY_SPARK_REMOTE=<sc://…> sparkify lake build --engine spark …      runs the lake job on it.
import { serveUntilSignal } from './serve-until-signal.ts';
import { startSparkConnect } from './spark-connect-server.ts';

await serveUntilSignal('Spark Connect', () => startSparkConnect({ handleSignals: false, log: (line) => process.stderr.write(`${line}\n`) }), (server, seconds) => ({
  stdout: server.remote,
  stderr: `Spark Connect ready in ${seconds.toFixed(2)}s (pyspark ${server.version}, log ${server.logFile})`,
}));
