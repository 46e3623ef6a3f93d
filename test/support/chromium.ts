import type { DatabaseOwner } from './postgres.ts';

/**
 * The Chromium that `npm test` (scripts/test.ts, servers/chromium.ts) finds or installs and announces in
 * SPARKIFY_TEST_CHROMIUM: Debian's headless shell, driven by playwright-core. Without it, CI=true fails the test;
 * elsewhere the test is skipped with a loud message.
 */
export const chromiumVariable = 'SPARKIFY_TEST_CHROMIUM';

export function testChromium(owner: DatabaseOwner): string | undefined {
  const path = process.env[chromiumVariable];
  if (path) return path;
  const message = `browser tests need ${chromiumVariable} (run them with \`npm test\`, which finds or installs Debian's chromium-headless-shell)`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
  owner.skip?.call(owner, message);
  return undefined;
}
