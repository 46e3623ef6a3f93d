import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { type ApiDeps, defaultBodyLimit } from './api-deps.ts';
import { installAccessControl } from './auth/access.ts';
import { installProblemHandlers, problemBody } from './problem.ts';
import { coerceQueryAndParams } from './query-coercion.ts';
import { registerAuthToken } from './routes/auth-token.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerUiApi } from './routes/ui/index.ts';
import { registerApiV2 } from './routes/v2/index.ts';
import { registerUiStatic } from './ui-static.ts';

/**
 * The API server (fastify, docs/decisions/2026-12-08-api-auth.md): Airflow 3's `/api/v2` over the orchestrator's
 * metadb, `/auth/token`, the UI's own API and the built SPA. Not listening yet: tests call `inject`, startApiServer
 * binds it.
 */
export async function buildApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.options?.logger ?? false,
    bodyLimit: deps.options?.bodyLimit ?? defaultBodyLimit,
    // Bodies are validated strictly (a string is not a number); query strings are coerced by coerceQueryAndParams.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: true, useDefaults: true, allErrors: false } },
    // Path parameters may hold run ids with ':' and '+' (scheduled__2018-11-01T00:00:00+00:00), up to a sane length.
    routerOptions: { maxParamLength: 500 },
  });
  installProblemHandlers(app);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(problemBody(404, `no route ${request.method} ${request.url.split('?', 1)[0]}`));
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Sparkify orchestrator API (Airflow 3 compatible)', version: '2' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // The OpenAPI document says which routes need a bearer token (the same `config.access` the access control reads).
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: string } | undefined)?.access ?? 'user';
    if (access !== 'public' && route.schema !== undefined) route.schema = { ...route.schema, security: [{ bearer: [] }] };
  });
  app.addHook('preValidation', coerceQueryAndParams);
  // API answers (tokens, masked secrets, logs) are never kept by a browser or a proxy; no content is sniffed as HTML.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('cache-control') && /^\/(api|auth|ui)\//.test(request.url)) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  installAccessControl(app, deps);
  app.get('/api/v2/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await registerAuthToken(app, deps);
  await registerApiV2(app, deps);
  await registerMetrics(app, deps);
  await registerUiApi(app, deps);
  await registerUiStatic(app);
  return app;
}

export interface StartOptions {
  /** Default 127.0.0.1: only this machine, until someone chooses otherwise. */
  host?: string;
  /** Default 8080 (Airflow's); 0 picks a free port. */
  port?: number;
}

/** Builds and binds the server; returns it and the address it listens on. */
export async function startApiServer(deps: ApiDeps, options: StartOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApiServer(deps);
  try {
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
