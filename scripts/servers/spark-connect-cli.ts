// `node scripts/servers/spark-connect-cli.ts`: a throwaway Spark Connect server for runs and benchmarks by hand.
// Prints the sc:// address on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything.
//   SPARKIFY_TEST_SPARK_REMOTE=<sc://…> npm test      reuses it instead of starting one per run.
import { startSparkConnect } from './spark-connect-server.ts';

const started = performance.now();
try {
  // We stop it ourselves on signals, so that the process then ends normally.
  const server = await startSparkConnect({ handleSignals: false, log: (line) => process.stderr.write(`${line}\n`) });
  const elapsed = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`${server.remote}\n`);
  process.stderr.write(`Spark Connect ready in ${elapsed}s (pyspark ${server.version}, log ${server.logFile}); Ctrl-C stops it.\n`);
  // Signal listeners do not keep Node alive; this timer does until we are told to stop.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping Spark Connect…\n`);
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
