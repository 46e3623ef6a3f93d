import type { FastifyInstance } from 'fastify';
import { createApiToken, revokeApiTokens } from '../../orchestrator/metadb/api-tokens.ts';
import { beginLoginAttempt, clearLoginFailures, defaultLoginBackoff } from '../../orchestrator/metadb/login-failures.ts';
import { getUser } from '../../orchestrator/metadb/users.ts';
import { type ApiDeps, defaultTokenTtlMs } from '../api-deps.ts';
import { decoyHash, verifyPassword } from '../auth/passwords.ts';
import { newToken, tokenSha256 } from '../auth/tokens.ts';
import { ApiProblem, problemSchema } from '../problem.ts';

/**
 * Airflow 3's login (its simple auth manager's `POST /auth/token`): a username and password for an access token, sent
 * back as `Authorization: Bearer …`. A name that failed too often is refused with 429 and Retry-After without its
 * password being checked, until its block (kept in the metadb, on the injected clock) ends; a good login clears it.
 */
export async function registerAuthToken(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ttl = deps.options?.tokenTtlMs ?? defaultTokenTtlMs;
  const backoff = deps.options?.loginBackoff ?? defaultLoginBackoff;
  app.post('/auth/token', {
    config: { access: 'public' },
    schema: {
      summary: 'Log in: an access token for a username and password',
      body: { type: 'object', properties: { username: { type: 'string', minLength: 1, maxLength: 256 }, password: { type: 'string', maxLength: 1024 } }, required: ['username', 'password'] },
      response: {
        201: { type: 'object', properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, expires_at: { type: 'string', format: 'date-time' } }, required: ['access_token'] },
        401: problemSchema, 429: problemSchema,
      },
    },
  }, async (request, reply) => {
    const { username, password } = request.body as { username: string; password: string };
    const now = deps.clock.now();
    // Counted as a failure before the password is checked (and cleared if it is right), so concurrent guesses take
    // turns on the name's row and the block holds after a bounded few.
    const attempt = await deps.engine.transaction((tx) => beginLoginAttempt(tx, username, now, backoff));
    if (!attempt.allowed) throw tooMany(attempt.blockedUntil as Date, now);
    const user = await getUser(deps.engine, username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!ok || user === undefined) {
      if (attempt.blockedUntil !== undefined) throw tooMany(attempt.blockedUntil, now);
      throw new ApiProblem(401, 'invalid username or password');
    }
    await clearLoginFailures(deps.engine, username);
    const token = newToken();
    const expiresAt = new Date(now.getTime() + ttl);
    await createApiToken(deps.engine, tokenSha256(token), user.username, now, expiresAt);
    return reply.code(201).send({ access_token: token, token_type: 'bearer', expires_at: expiresAt.toISOString() });
  });
  app.post('/auth/logout', {
    config: { access: 'user' },
    schema: { summary: 'Revoke the token this request carries', response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    await revokeApiTokens(deps.engine, { tokenSha256: request.user?.tokenSha256 as string }, deps.clock.now());
    return reply.code(204).send();
  });
}

function tooMany(until: Date, now: Date): ApiProblem {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new ApiProblem(429, `too many failed logins for this username: try again in ${seconds} s`, { 'retry-after': String(seconds) });
}
