import type { FastifyInstance } from 'fastify';
import { SparkifyError } from '../../../core/errors.ts';
import { parseExtra } from '../../../orchestrator/metadb/connection-uri.ts';
import { type Connection, deleteConnection, getConnection, listConnections, putConnection } from '../../../orchestrator/metadb/connections.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { collection, nullableInt, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';
import { box, masked } from './secrets.ts';

const connectionSchema = object({
  connection_id: str, conn_type: str, description: nullableStr, host: nullableStr, login: nullableStr, schema: nullableStr,
  port: nullableInt, password: nullableStr, extra: nullableStr,
});
const idParams = object({ connection_id: str });
const bodyProperties = {
  connection_id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$' }, conn_type: { type: 'string', minLength: 1, maxLength: 100 },
  description: nullableStr, host: nullableStr, login: nullableStr, schema: nullableStr,
  port: { type: ['integer', 'null'], minimum: 0, maximum: 65535 }, password: nullableStr, extra: nullableStr,
};

interface ConnectionBody {
  connection_id: string; conn_type: string; description?: string | null; host?: string | null; login?: string | null;
  schema?: string | null; port?: number | null; password?: string | null; extra?: string | null;
}

/**
 * A connection as the API shows it: the password as `***` when there is one, the extras as JSON with every value `***`
 * (their keys stay readable), so no secret ever leaves the server, whoever asks.
 */
function connectionOf(c: Connection) {
  const extraKeys = Object.keys(c.extra);
  return {
    connection_id: c.connId, conn_type: c.connType, description: c.description, host: c.host, login: c.login, schema: c.schema,
    port: c.port, password: c.password === null ? null : masked,
    extra: extraKeys.length === 0 ? null : JSON.stringify(Object.fromEntries(extraKeys.map((k) => [k, masked]))),
  };
}

function extraOf(text: string | null | undefined): Record<string, unknown> {
  if (text == null || text.trim() === '') return {};
  try {
    return parseExtra(text, 'extra');
  } catch (error) {
    throw new ApiProblem(422, error instanceof SparkifyError ? error.message.replace(/^SPK_E_[A-Z_]+: /, '') : 'extra: not a JSON object');
  }
}

export async function registerConnections(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const get = async (id: string) => {
    try {
      return await getConnection(deps.engine, box(deps), id);
    } catch (error) {
      if (error instanceof SparkifyError && error.code === 'SPK_E_NOT_FOUND') throw new ApiProblem(404, `The Connection with connection_id: \`${id}\` was not found`);
      throw error;
    }
  };

  app.get('/api/v2/connections', {
    config: { access: 'user' },
    schema: { tags: ['Connection'], summary: 'List connections (secrets masked)', querystring: { type: 'object', properties: { ...pageQuery } }, response: { 200: collection('connections', connectionSchema) } },
  }, async (request) => {
    const all = await listConnections(deps.engine);
    const shown = await Promise.all(page(all, request.query as PageParams).map((c) => get(c.connId)));
    return { connections: shown.map(connectionOf), total_entries: all.length };
  });

  app.get('/api/v2/connections/:connection_id', {
    config: { access: 'user' },
    schema: { tags: ['Connection'], summary: 'A connection (secrets masked)', params: idParams, response: { 200: connectionSchema } },
  }, async (request) => connectionOf(await get((request.params as { connection_id: string }).connection_id)));

  app.post('/api/v2/connections', {
    config: { access: 'operator' },
    schema: { tags: ['Connection'], summary: 'Add a connection', body: { type: 'object', properties: bodyProperties, required: ['connection_id', 'conn_type'] }, response: { 201: connectionSchema } },
  }, async (request, reply) => {
    const b = request.body as ConnectionBody;
    const c: Connection = {
      connId: b.connection_id, connType: b.conn_type, description: b.description ?? null, host: b.host ?? null, login: b.login ?? null,
      schema: b.schema ?? null, port: b.port ?? null, password: b.password ?? null, extra: extraOf(b.extra),
    };
    const secrets = box(deps);
    const added = await deps.engine.transaction(async (tx) => {
      if ((await listConnections(tx)).some((x) => x.connId === c.connId)) return false;
      await putConnection(tx, secrets, c);
      return true;
    });
    if (!added) throw new ApiProblem(409, `The connection with connection_id: \`${c.connId}\` already exists`);
    return reply.code(201).send(connectionOf(c));
  });

  app.patch('/api/v2/connections/:connection_id', {
    config: { access: 'operator' },
    schema: {
      tags: ['Connection'], summary: 'Change a connection (fields left out, or not in update_mask, stay)', params: idParams,
      querystring: { type: 'object', properties: { update_mask: { type: 'array', items: str } } },
      body: { type: 'object', properties: bodyProperties, required: ['connection_id', 'conn_type'] }, response: { 200: connectionSchema },
    },
  }, async (request) => {
    const { connection_id } = request.params as { connection_id: string };
    const { update_mask } = request.query as { update_mask?: string[] };
    const b = request.body as ConnectionBody;
    if (b.connection_id !== connection_id) throw new ApiProblem(400, 'The connection_id in the request body does not match the URL parameter');
    const old = await get(connection_id);
    const takes = (field: keyof ConnectionBody) => (update_mask === undefined ? b[field] !== undefined : update_mask.includes(field));
    const next: Connection = {
      ...old,
      connType: takes('conn_type') ? b.conn_type : old.connType,
      description: takes('description') ? b.description ?? null : old.description,
      host: takes('host') ? b.host ?? null : old.host,
      login: takes('login') ? b.login ?? null : old.login,
      schema: takes('schema') ? b.schema ?? null : old.schema,
      port: takes('port') ? b.port ?? null : old.port,
      password: takes('password') ? b.password ?? null : old.password,
      extra: takes('extra') ? extraOf(b.extra) : old.extra,
    };
    await deps.engine.transaction((tx) => putConnection(tx, box(deps), next));
    return connectionOf(next);
  });

  app.delete('/api/v2/connections/:connection_id', {
    config: { access: 'operator' },
    schema: { tags: ['Connection'], summary: 'Delete a connection', params: idParams, response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const { connection_id } = request.params as { connection_id: string };
    if (!(await deleteConnection(deps.engine, connection_id))) throw new ApiProblem(404, `The Connection with connection_id: \`${connection_id}\` was not found`);
    return reply.code(204).send();
  });
}
