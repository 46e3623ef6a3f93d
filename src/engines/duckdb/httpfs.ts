/**
 * Where DuckDB's httpfs extension is, which lets DuckDB read s3:// objects itself. DuckDB loads only an extension built
 * for its exact version, and this machine reaches no extension repository, so the official build comes from PyPI (the
 * `duckdb-extension-httpfs` wheel of the same version), unpacked once into ~/.cache/sparkify/duckdb-<version>/ by
 * scripts/servers/httpfs-extension.ts (`npm run duckdb-httpfs`, and `npm test`). Nothing downloads at load time:
 * without it DuckDB loads S3 data through this process's own client instead.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

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
