import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * Where the shared course data lives: SPARKIFY_DATA_ROOT, default ../shared/data beside the repo.
 * Under CI=true a missing dataset fails the test; elsewhere the test is skipped with a loud message.
 */
export const dataRoot = resolve(process.env.SPARKIFY_DATA_ROOT ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data'));

export const sample = {
  root: resolve(dataRoot, 'sparkify'),
  songs: resolve(dataRoot, 'sparkify', 'song_data'),
  logs: resolve(dataRoot, 'sparkify', 'log_data'),
  events: resolve(dataRoot, 'sparkify', 'event_data'),
  jsonPaths: resolve(dataRoot, 'sparkify', 'log_json_path.json'),
  largeSongs: resolve(dataRoot, 'sparkify-large', 'song_data'),
};

/** Returns true when `path` exists; otherwise fails (CI) or skips loudly (elsewhere). */
export function requireDataset(t: TestContext, path: string): boolean {
  if (existsSync(path)) return true;
  const message = `dataset missing: ${path} (set SPARKIFY_DATA_ROOT)`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
  t.skip(message);
  return false;
}
