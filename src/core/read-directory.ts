import { readdirSync, type Dirent } from 'node:fs';
import { unreadableInput } from './errors.ts';

/**
 * A directory's entries in one synchronous call, or a clear error naming it. The song layout (A/B/C/…) spreads 10,000
 * files over 8,000 directories: an asynchronous opendir + iteration costs ~100 µs of thread-pool round trips per
 * directory (0.9 s for those songs), this ~10 µs, blocking the thread no longer than that.
 */
export function readDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    throw unreadableInput(dir, cause);
  }
}
