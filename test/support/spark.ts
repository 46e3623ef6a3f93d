import type { DatabaseOwner } from './postgres.ts';

/**
 * The Spark Connect server that `npm test` (scripts/test.ts) starts and announces in SPARKIFY_TEST_SPARK_REMOTE
 * (`sc://127.0.0.1:<port>`). Without it, CI=true fails the test; elsewhere the test is skipped with a loud message.
 * Each test opens its own session (a fresh session id), so temporary views never leak between tests.
 */
export const sparkRemoteVariable = 'SPARKIFY_TEST_SPARK_REMOTE';

export function testSparkRemote(owner: DatabaseOwner): string | undefined {
  const remote = process.env[sparkRemoteVariable];
  if (remote) return remote;
  const message = `Spark tests need ${sparkRemoteVariable} (run them with \`npm test\`, which starts a Spark Connect server)`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
  owner.skip?.call(owner, message);
  return undefined;
}
