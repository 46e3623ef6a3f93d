// `node scripts/servers/s3-cli.ts`: a throwaway S3-compatible server (versitygw) for runs and benchmarks by hand.
// Prints shell exports on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything:
//   copy the printed lines into your shell; the last three make `npm test` reuse this server.
import { startS3Server } from './s3-server.ts';

try {
  const server = await startS3Server({ handleSignals: false, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write([
    `export SPARKIFY_S3_ENDPOINT=${server.endpoint}`,
    `export SPARKIFY_S3_ACCESS_KEY_ID=${server.accessKeyId}`,
    `export SPARKIFY_S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`,
    `export SPARKIFY_TEST_S3_ENDPOINT=${server.endpoint}`,
    `export SPARKIFY_TEST_S3_ACCESS_KEY_ID=${server.accessKeyId}`,
    `export SPARKIFY_TEST_S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`,
    '',
  ].join('\n'));
  process.stderr.write(`versitygw ready at ${server.endpoint} (data ${server.dataDir}); Ctrl-C stops it.\n`);
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping versitygw…\n`);
    clearInterval(keepAlive);
    server.stop().then(() => process.stderr.write('stopped.\n'), (error: unknown) => {
      process.stderr.write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, shutdown);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
