import type { FastifyInstance } from 'fastify';
import { deletePool, listPools, type PoolRow, setPool } from '../../../orchestrator/metadb/pools.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, int, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';

const poolSchema = object({
  name: str, slots: int, description: nullableStr, include_deferred: bool, occupied_slots: int, running_slots: int, queued_slots: int,
  scheduled_slots: int, open_slots: int, deferred_slots: int,
});
const nameParams = object({ pool_name: str });
const slots = { type: 'integer', minimum: 0, maximum: 1_000_000 };

/** Occupied: running and queued, as Airflow counts (we have no deferred tasks). */
const poolOf = (p: PoolRow) => ({
  name: p.pool, slots: p.slots, description: p.description, include_deferred: false, occupied_slots: p.running + p.queued,
  running_slots: p.running, queued_slots: p.queued, scheduled_slots: 0, open_slots: Math.max(0, p.slots - p.running - p.queued), deferred_slots: 0,
});

export async function registerPools(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const find = async (name: string) => {
    const pool = (await listPools(deps.engine)).find((p) => p.pool === name);
    if (pool === undefined) throw new ApiProblem(404, `The Pool with name: \`${name}\` was not found`);
    return pool;
  };

  app.get('/api/v2/pools', {
    config: { access: 'public' },
    schema: { tags: ['Pool'], summary: 'List pools', querystring: { type: 'object', properties: { ...pageQuery } }, response: { 200: collection('pools', poolSchema) } },
  }, async (request) => {
    const all = await listPools(deps.engine);
    return { pools: page(all, request.query as PageParams).map(poolOf), total_entries: all.length };
  });

  app.get('/api/v2/pools/:pool_name', {
    config: { access: 'public' },
    schema: { tags: ['Pool'], summary: 'A pool', params: nameParams, response: { 200: poolSchema } },
  }, async (request) => poolOf(await find((request.params as { pool_name: string }).pool_name)));

  app.post('/api/v2/pools', {
    config: { access: 'operator' },
    schema: {
      tags: ['Pool'], summary: 'Add a pool',
      body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 256 }, slots, description: nullableStr, include_deferred: bool }, required: ['name', 'slots'] },
      response: { 201: poolSchema },
    },
  }, async (request, reply) => {
    const b = request.body as { name: string; slots: number; description?: string | null; include_deferred?: boolean };
    if (b.include_deferred === true) throw new ApiProblem(400, 'include_deferred is not supported: there are no deferred tasks');
    const added = await deps.engine.transaction(async (tx) => {
      if ((await listPools(tx)).some((p) => p.pool === b.name)) return false;
      await setPool(tx, b.name, b.slots, b.description ?? null);
      return true;
    });
    if (!added) throw new ApiProblem(409, `The Pool with name: \`${b.name}\` already exists`);
    return reply.code(201).send(poolOf(await find(b.name)));
  });

  app.patch('/api/v2/pools/:pool_name', {
    config: { access: 'operator' },
    schema: {
      tags: ['Pool'], summary: "Change a pool's slots or description", params: nameParams,
      body: { type: 'object', properties: { pool: str, name: str, slots, description: nullableStr, include_deferred: bool } },
      response: { 200: poolSchema },
    },
  }, async (request) => {
    const { pool_name } = request.params as { pool_name: string };
    const b = request.body as { pool?: string; name?: string; slots?: number; description?: string | null };
    if ((b.pool ?? b.name ?? pool_name) !== pool_name) throw new ApiProblem(400, 'a pool cannot be renamed');
    const old = await find(pool_name);
    await setPool(deps.engine, pool_name, b.slots ?? old.slots, b.description === undefined ? old.description : b.description);
    return poolOf(await find(pool_name));
  });

  app.delete('/api/v2/pools/:pool_name', {
    config: { access: 'operator' },
    schema: { tags: ['Pool'], summary: 'Delete a pool', params: nameParams, response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const { pool_name } = request.params as { pool_name: string };
    if (!(await deletePool(deps.engine, pool_name))) throw new ApiProblem(404, `The Pool with name: \`${pool_name}\` was not found`);
    return reply.code(204).send();
  });
}
