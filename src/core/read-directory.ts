import { readdirSync, type Dirent } from 'node:fs';
import { unreadableInput } from './errors.ts';

/**
 * A directory's entries in one synchronous call, or a clear error naming it. The song layout (A/B/C/…) spreads its
 * files over nearly as many directories, and an asynchronous opendir + iteration costs thread-pool round trips per
 * directory; one readdirSync blocks the thread only briefly
 * (docs/decisions/2026-12-01-small-files-in-one-synchronous-read.md).
 */
export function readDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    throw unreadableInput(dir, cause);
  }
}
