import { configError } from '../core/errors.ts';

/**
 * The one switch of the fast paths (byte scanners, WebAssembly, worker threads, reading ahead, signed and pipelined S3
 * GETs, DuckDB's direct read, time built beside): off, every pipeline runs its plain reference path, which loads the
 * same rows. For finding whether a fast path is at fault, and for machines where one cannot run.
 */
export const fastPathsFlag = ['--no-fast-paths', 'run the plain reference path only: no worker threads, WebAssembly or other fast path (also SPARKIFY_FAST_PATHS=off)'] as const;

/** `--no-fast-paths` (commander gives fastPaths: false) wins; else SPARKIFY_FAST_PATHS (on or off); else on. */
export function compileFastPaths(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  const value = env.SPARKIFY_FAST_PATHS?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw configError(`SPARKIFY_FAST_PATHS: must be on or off, got ${JSON.stringify(env.SPARKIFY_FAST_PATHS?.slice(0, 40))}`);
}
