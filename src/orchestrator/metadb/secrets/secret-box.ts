import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SparkifyError } from '../../../core/errors.ts';

/** Sealed values are `v1.` + base64(IV ‖ tag ‖ ciphertext): the prefix leaves room for another scheme later. */
const prefix = 'v1.';
const ivBytes = 12;
const tagBytes = 16;

/**
 * AES-256-GCM over secrets at rest (connection passwords and extras, variables). Each value gets a random 12-byte IV
 * (GCM must never reuse one under a key) and is bound to its place by `context` (e.g. `connection:warehouse:password`)
 * as additional authenticated data, so a sealed value copied into another row does not open there. A wrong key or a
 * changed value fails the tag check: an error, never garbage.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new SparkifyError('SPK_E_SECRET', `the secret key must be 32 bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, context: string): string {
    const bytes = sealed.startsWith(prefix) ? Buffer.from(sealed.slice(prefix.length), 'base64') : undefined;
    if (bytes === undefined || bytes.length < ivBytes + tagBytes) {
      throw new SparkifyError('SPK_E_SECRET', `${context}: not a value sealed by Sparkify`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
      return Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SparkifyError('SPK_E_SECRET', `${context}: cannot decrypt it with this secret key (it was sealed with another key, or changed)`, { cause });
    }
  }
}
