import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../core/options.ts';

/** The flags every command on the orchestrator's metadata database takes. */
export function metadbFlags(command: Command): Command {
  return command
    .option('--db <target>', 'metadata database: a postgres://… URL or a PGlite directory (default: $SPARKIFY_METADB, else <data-dir>/orchestrator/pglite)')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--json', 'machine-readable output');
}

const schema = z.object({
  db: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  json: z.boolean().default(false),
});

export interface MetadbOptions {
  db: string | undefined;
  dataDir: string;
  json: boolean;
  /**
   * Where the secrets' key comes from: SPARKIFY_SECRET_KEY (32 bytes, base64 or hex), else the key file
   * `<data-dir>/secret.key` (made, mode 0600, on first use). Never a flag: a command line is visible to every user
   * of the machine (`ps`).
   */
  secretKey: { value?: { text: string; name: string }; file: string };
}

/** Flags first, then the environment (read here, in the CLI, and nowhere below). */
export function compileMetadbOptions(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MetadbOptions {
  const o = compileOptions(schema, { ...raw, db: raw.db ?? (env.SPARKIFY_METADB || undefined), dataDir: raw.dataDir ?? defaultDataDir(env) });
  const dataDir = resolve(o.dataDir);
  const key = env.SPARKIFY_SECRET_KEY;
  return {
    db: o.db,
    dataDir,
    json: o.json,
    secretKey: { ...(key ? { value: { text: key, name: 'SPARKIFY_SECRET_KEY' } } : {}), file: join(dataDir, 'secret.key') },
  };
}

/**
 * Opens the metadata database (drivers and the orchestrator load only now, not when the CLI starts), runs `fn`, and
 * closes it whatever happens.
 */
export async function withMetadb<T>(options: MetadbOptions, fn: (engine: import('../engines/engine.ts').SqlEngine) => Promise<T>): Promise<T> {
  const { openMetadb } = await import('../orchestrator/metadb/open-metadb.ts');
  const { cliLockWait } = await import('./lock-wait.ts');
  const engine = await openMetadb({ db: options.db, dataDir: options.dataDir, wait: cliLockWait() });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** The box that seals and opens secrets, from the key MetadbOptions names. */
export async function secretBox(options: MetadbOptions): Promise<import('../orchestrator/metadb/secrets/secret-box.ts').SecretBox> {
  const { loadSecretKey } = await import('../orchestrator/metadb/secrets/secret-key.ts');
  const { SecretBox } = await import('../orchestrator/metadb/secrets/secret-box.ts');
  return new SecretBox(loadSecretKey(options.secretKey));
}

/** `-` for a value means: read it from stdin (keeps a password off the command line). */
export async function valueOrStdin(value: string): Promise<string> {
  if (value !== '-') return value;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
