import type { FastifyInstance } from 'fastify';
import { deleteVariable, getVariable, listVariables, setVariable } from '../../../orchestrator/metadb/variables.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';
import { box, isSensitiveName, masked } from './secrets.ts';

const variableSchema = object({ key: str, value: nullableStr, description: nullableStr, is_encrypted: bool });
const keyParams = object({ variable_key: str });
const bodySchema = {
  type: 'object',
  properties: { key: { type: 'string', minLength: 1, maxLength: 250 }, value: {}, description: nullableStr },
  required: ['key', 'value'],
};

/** As Airflow: the value, unless the key names a secret (`*password*`, `*token*`, …), then `***`. Always encrypted at rest. */
const variableOf = (key: string, value: string, description: string | null) =>
  ({ key, value: isSensitiveName(key) ? masked : value, description, is_encrypted: true });

/** A JSON value given as a variable: text as it is, anything else as its JSON text (as Airflow stores it). */
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export async function registerVariables(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const notFound = (key: string) => new ApiProblem(404, `The Variable with key: \`${key}\` was not found`);

  app.get('/api/v2/variables', {
    config: { access: 'user' },
    schema: { tags: ['Variable'], summary: 'List variables', querystring: { type: 'object', properties: { ...pageQuery } }, response: { 200: collection('variables', variableSchema) } },
  }, async (request) => {
    const all = await listVariables(deps.engine);
    const secrets = box(deps);
    const shown = await Promise.all(page(all, request.query as PageParams).map(async (v) => variableOf(v.key, (await getVariable(deps.engine, secrets, v.key)) ?? '', v.description)));
    return { variables: shown, total_entries: all.length };
  });

  app.get('/api/v2/variables/:variable_key', {
    config: { access: 'user' },
    schema: { tags: ['Variable'], summary: 'A variable', params: keyParams, response: { 200: variableSchema } },
  }, async (request) => {
    const { variable_key } = request.params as { variable_key: string };
    const value = await getVariable(deps.engine, box(deps), variable_key);
    if (value === undefined) throw notFound(variable_key);
    const description = (await listVariables(deps.engine)).find((v) => v.key === variable_key)?.description ?? null;
    return variableOf(variable_key, value, description);
  });

  app.post('/api/v2/variables', {
    config: { access: 'operator' },
    schema: { tags: ['Variable'], summary: 'Add a variable', body: bodySchema, response: { 201: variableSchema } },
  }, async (request, reply) => {
    const b = request.body as { key: string; value: unknown; description?: string | null };
    const secrets = box(deps);
    const added = await deps.engine.transaction(async (tx) => {
      if ((await listVariables(tx)).some((v) => v.key === b.key)) return false;
      await setVariable(tx, secrets, b.key, asText(b.value), b.description ?? null);
      return true;
    });
    if (!added) throw new ApiProblem(409, `The Variable with key: \`${b.key}\` already exists`);
    return reply.code(201).send(variableOf(b.key, asText(b.value), b.description ?? null));
  });

  app.patch('/api/v2/variables/:variable_key', {
    config: { access: 'operator' },
    schema: { tags: ['Variable'], summary: "Change a variable's value and description", params: keyParams, body: bodySchema, response: { 200: variableSchema } },
  }, async (request) => {
    const { variable_key } = request.params as { variable_key: string };
    const b = request.body as { key: string; value: unknown; description?: string | null };
    if (b.key !== variable_key) throw new ApiProblem(400, 'Invalid body, key from request body doesn\'t match uri parameter');
    const secrets = box(deps);
    if ((await getVariable(deps.engine, secrets, variable_key)) === undefined) throw notFound(variable_key);
    await deps.engine.transaction((tx) => setVariable(tx, secrets, variable_key, asText(b.value), b.description ?? null));
    return variableOf(variable_key, asText(b.value), b.description ?? null);
  });

  app.delete('/api/v2/variables/:variable_key', {
    config: { access: 'operator' },
    schema: { tags: ['Variable'], summary: 'Delete a variable', params: keyParams, response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const { variable_key } = request.params as { variable_key: string };
    if (!(await deleteVariable(deps.engine, variable_key))) throw notFound(variable_key);
    return reply.code(204).send();
  });
}
