import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenUser } from '../../orchestrator/metadb/api-tokens.ts';
import type { UserRole } from '../../orchestrator/metadb/users.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';
import { bearerToken, tokenSha256 } from './tokens.ts';

/** Who may call a route: anyone, any user, or a user of at least this role. */
export type Access = 'public' | 'user' | 'operator' | 'admin';

export interface ApiUser {
  username: string;
  role: UserRole;
  /** The SHA-256 of the token the request came with (logout revokes it). */
  tokenSha256: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: ApiUser;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const rank: Record<UserRole, number> = { viewer: 0, operator: 1, admin: 2 };

/**
 * Authentication on every request, before its body is read (so an anonymous client cannot make the server parse a
 * large body): a bearer token, looked up by its hash. Only the Authorization header counts, never a cookie, so no
 * browser sends credentials on its own and writes are safe from CSRF. A route's `config.access` says who may call it;
 * a route that says nothing is `user`-only (a route forgotten is closed, not open).
 */
export function installAccessControl(app: FastifyInstance, deps: ApiDeps): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    // No route (a 404 to come): nothing to guard.
    const access: Access = request.routeOptions.url === undefined ? 'public' : request.routeOptions.config?.access ?? 'user';
    const token = bearerToken(request.headers.authorization);
    if (token !== undefined) {
      const sha = token === '' ? '' : tokenSha256(token);
      const user = sha === '' ? undefined : await tokenUser(deps.engine, sha, deps.clock.now());
      if (user === undefined) throw unauthorized('the token is malformed, unknown, expired or revoked');
      request.user = { ...user, tokenSha256: sha };
    }
    if (access === 'public') return;
    if (request.user === undefined) throw unauthorized('this needs a user: log in at POST /auth/token and send Authorization: Bearer <access_token>');
    if (access !== 'user' && rank[request.user.role] < rank[access]) {
      throw new ApiProblem(403, `user ${request.user.username} (${request.user.role}) may not do this: it needs the ${access} role`);
    }
  });
}

const unauthorized = (detail: string) => new ApiProblem(401, detail, { 'www-authenticate': 'Bearer' });
