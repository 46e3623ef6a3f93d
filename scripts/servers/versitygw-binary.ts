/**
 * The versitygw binary (an Apache-2.0 S3-compatible gateway written in Go): built once from its pinned module
 * version with `go install` into ~/.cache/sparkify/versitygw-<version>/, then reused by every run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SparkifyError } from '../../src/core/errors.ts';
import { runCommand } from './run-command.ts';

export const versitygwVersion = 'v1.8.0';
const modulePath = 'github.com/versity/versitygw/cmd/versitygw';

export function versitygwCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'sparkify', `versitygw-${versitygwVersion}`);
}

/** The binary's path, building it first if the cache does not have it (a few minutes on two cores). */
export async function ensureVersitygw(log: (line: string) => void = () => {}): Promise<string> {
  const dir = versitygwCacheDir();
  const binary = join(dir, 'versitygw');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  // Built into a private directory and renamed into place, so two runs building at once never see half a file.
  const gobin = await mkdtemp(join(dir, 'build-'));
  try {
    log(`building versitygw ${versitygwVersion} with go install (once; cached in ${dir})…`);
    const result = await runCommand('go', ['install', `${modulePath}@${versitygwVersion}`], { env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' } });
    if (result.code !== 0) {
      throw new SparkifyError('SPK_E_SERVER', `go install ${modulePath}@${versitygwVersion} ${result.error ? `could not run (${result.error.message}; is Go installed?)` : `failed (exit ${result.code})`}:\n${result.output.trimEnd().split('\n').slice(-15).join('\n')}`, { cause: result.error });
    }
    await rename(join(gobin, 'versitygw'), binary);
    return binary;
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

