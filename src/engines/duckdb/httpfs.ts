/**
 * DuckDB's httpfs extension, which lets DuckDB read s3:// objects itself. DuckDB loads only an extension built for its
 * exact version, and this machine reaches no extension repository, so the official build comes from PyPI (the
 * `duckdb-extension-httpfs` wheel of the same version), unpacked once into ~/.cache/sparkify/duckdb-<version>/. Nothing
 * here downloads at load time: `npm run duckdb-httpfs` (and `npm test`) install it; without it DuckDB loads S3 data
 * through this process's own client instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { SparkifyError } from '../../core/errors.ts';

/** The DuckDB version the bindings carry (1.5.5 for @duckdb/node-api 1.5.5-r.5): the extension must match it. */
export function duckdbVersion(): string {
  const bindings = createRequire(import.meta.url)('@duckdb/node-api/package.json') as { version: string };
  const m = /^(\d+\.\d+\.\d+)/.exec(bindings.version);
  if (!m) throw new Error(`cannot tell the DuckDB version from @duckdb/node-api ${bindings.version}`);
  return m[1] as string;
}

/** Where the extension is looked for: SPARKIFY_DUCKDB_HTTPFS names the file, else the cache. */
export function httpfsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPARKIFY_DUCKDB_HTTPFS) return env.SPARKIFY_DUCKDB_HTTPFS;
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'sparkify', `duckdb-${duckdbVersion()}`, 'httpfs.duckdb_extension');
}

/** The extension's path if it is installed, else undefined. */
export function installedHttpfs(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = httpfsPath(env);
  return existsSync(path) ? path : undefined;
}

/** Installs the extension from PyPI (pip download, then the wheel unzipped) unless it is there; returns its path. */
export async function ensureHttpfs(log: (line: string) => void = () => {}): Promise<string> {
  const target = httpfsPath();
  if (existsSync(target)) return target;
  const version = duckdbVersion();
  const dir = join(target, '..');
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, 'install-'));
  try {
    log(`installing DuckDB's httpfs extension ${version} from PyPI (once; cached in ${dir})…`);
    const wheel = `duckdb-extension-httpfs==${version}`;
    await run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', work, wheel], `pip download ${wheel}`);
    const file = (await readdir(work)).find((f) => f.endsWith('.whl'));
    if (file === undefined) throw new SparkifyError('SPK_E_SERVER', `pip download ${wheel} left no wheel in ${work}`);
    await run('python3', ['-m', 'zipfile', '-e', join(work, file), join(work, 'unpacked')], `unzip ${file}`);
    const built = join(work, 'unpacked', 'duckdb_extension_httpfs', 'extensions', `v${version}`, 'httpfs.duckdb_extension');
    if (!existsSync(built)) throw new SparkifyError('SPK_E_SERVER', `${file} holds no extensions/v${version}/httpfs.duckdb_extension`);
    // Copied beside the target and renamed into place, so two installs at once never leave half a file.
    const part = join(work, 'httpfs.part');
    await copyFile(built, part);
    await rename(part, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error) => reject(new SparkifyError('SPK_E_SERVER', `${what}: cannot run ${cmd} (${error.message})`, { cause: error })));
    child.once('close', (code) => code === 0 ? resolve() : reject(new SparkifyError('SPK_E_SERVER', `${what} failed (exit ${code}):\n${output.trimEnd().split('\n').slice(-10).join('\n')}`)));
  });
}
