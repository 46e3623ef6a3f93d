import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: 32 random bytes, stored only as their SHA-256 (orch_api_token; a leaked table lets no one in,
 * and a fast hash is enough for a value with 256 bits of entropy), with an expiry, revocable (docs/decisions/
 * 2026-12-08-api-auth.md).
 */
export const newToken = (): string => `spk_${randomBytes(32).toString('base64url')}`;

export const tokenSha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The token of an `Authorization: Bearer …` header; undefined when there is no such header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : '';
}
