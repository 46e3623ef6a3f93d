// `node scripts/servers/s3-cli.ts`: a throwaway S3-compatible server (versitygw) for runs and benchmarks by hand.
// Prints shell exports on stdout (status on stderr) and serves until Ctrl-C / SIGTERM, then removes everything:
//   copy the printed lines into your shell; the last three make `npm test` reuse this server.
import { startS3Server } from './s3-server.ts';
import { serveUntilSignal } from './serve-until-signal.ts';

await serveUntilSignal('versitygw', () => startS3Server({ handleSignals: false, log: (line) => process.stderr.write(`${line}\n`) }), (server) => ({
  stdout: [
    `export SPARKIFY_S3_ENDPOINT=${server.endpoint}`,
    `export SPARKIFY_S3_ACCESS_KEY_ID=${server.accessKeyId}`,
    `export SPARKIFY_S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`,
    `export SPARKIFY_TEST_S3_ENDPOINT=${server.endpoint}`,
    `export SPARKIFY_TEST_S3_ACCESS_KEY_ID=${server.accessKeyId}`,
    `export SPARKIFY_TEST_S3_SECRET_ACCESS_KEY=${server.secretAccessKey}`,
  ].join('\n'),
  stderr: `versitygw ready at ${server.endpoint} (data ${server.dataDir})`,
}));
