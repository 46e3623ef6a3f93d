/**
 * Installs DuckDB's httpfs extension for the pinned DuckDB (see src/engines/duckdb/httpfs.ts for where it goes and
 * why from PyPI): `pip download` of the `duckdb-extension-httpfs` wheel of the same version, then the wheel unzipped.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SparkifyError } from '../../src/core/errors.ts';
import { duckdbVersion, httpfsPath } from '../../src/engines/duckdb/httpfs.ts';
import { runCommand } from './run-command.ts';

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

/** `cmd`, or a clear error naming `what` with the end of its output. */
async function run(cmd: string, args: string[], what: string): Promise<void> {
  const result = await runCommand(cmd, args);
  if (result.error) throw new SparkifyError('SPK_E_SERVER', `${what}: cannot run ${cmd} (${result.error.message})`, { cause: result.error });
  if (result.code !== 0) throw new SparkifyError('SPK_E_SERVER', `${what} failed (exit ${result.code}):\n${result.output.trimEnd().split('\n').slice(-10).join('\n')}`);
}
