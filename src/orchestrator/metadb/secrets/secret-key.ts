import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { SparkifyError } from '../../../core/errors.ts';

export interface SecretKeySource {
  /** A key given directly (the CLI reads SPARKIFY_SECRET_KEY), 32 bytes as base64 or 64 hex digits; `name` says where from. */
  value?: { text: string; name: string } | undefined;
  /** Else the key file: read if there, created (mode 0600, a fresh random key) if not. */
  file: string;
}

/**
 * The key that seals secrets. A key file that others can read is refused (as ssh refuses a private key): the key
 * must be as private as the secrets it protects. Two processes creating the file at once both end with the one
 * written first (exclusive create, then read).
 */
export function loadSecretKey(source: SecretKeySource): Buffer {
  if (source.value !== undefined) return decodeKey(source.value.text, source.value.name);
  try {
    mkdirSync(dirname(source.file), { recursive: true });
    writeFileSync(source.file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SparkifyError('SPK_E_SECRET', `cannot create the secret key file ${source.file}`, { cause: error });
    }
  }
  let text: string;
  try {
    const mode = statSync(source.file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SparkifyError('SPK_E_SECRET', `the secret key file ${source.file} can be read by others (mode ${mode.toString(8)}): chmod 600 it`);
    }
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    if (error instanceof SparkifyError) throw error;
    throw new SparkifyError('SPK_E_SECRET', `cannot read the secret key file ${source.file}`, { cause: error });
  }
  return decodeKey(text, `the secret key file ${source.file}`);
}

/** 64 hex digits, or base64 of 32 bytes; never quoted in an error (it is the key). */
export function decodeKey(text: string, name: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (key === undefined || key.length !== 32) {
    throw new SparkifyError('SPK_E_SECRET', `${name}: a secret key is 32 bytes, as base64 (44 characters) or hex (64 digits); e.g. \`openssl rand -base64 32\``);
  }
  return key;
}
