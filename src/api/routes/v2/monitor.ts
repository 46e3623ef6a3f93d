import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../api-deps.ts';
import { nullableStr, object, str } from '../../json-schema.ts';

const component = object({ status: nullableStr });
let version: string | undefined;
const sparkifyVersion = () => (version ??= (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version);

/**
 * Health as Airflow reports it. The metadb is probed with a query; the scheduler and DAG processor keep no heartbeat
 * row in our metadb, so their status is null (unknown), not a guess (docs/api.md).
 */
export async function registerMonitor(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/monitor/health', {
    config: { access: 'public' },
    schema: {
      tags: ['Monitor'], summary: 'Health of the metadb and the scheduler',
      response: {
        200: object({
          metadatabase: component,
          scheduler: object({ status: nullableStr, latest_scheduler_heartbeat: nullableStr }),
          triggerer: object({ status: nullableStr, latest_triggerer_heartbeat: nullableStr }),
          dag_processor: { anyOf: [object({ status: nullableStr, latest_dag_processor_heartbeat: nullableStr }), { type: 'null' }] },
        }),
      },
    },
  }, async (request) => {
    let healthy = true;
    try {
      await deps.engine.query('SELECT 1');
    } catch (error) {
      request.log.error({ err: error }, 'metadb health probe failed');
      healthy = false;
    }
    return {
      metadatabase: { status: healthy ? 'healthy' : 'unhealthy' },
      scheduler: { status: null, latest_scheduler_heartbeat: null },
      triggerer: { status: null, latest_triggerer_heartbeat: null },
      dag_processor: null,
    };
  });

  app.get('/api/v2/version', {
    config: { access: 'public' },
    schema: { tags: ['Version'], summary: "Sparkify's version", response: { 200: object({ version: str, git_version: nullableStr }) } },
  }, async () => ({ version: sparkifyVersion(), git_version: null }));
}
