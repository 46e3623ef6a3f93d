import type { FastifyInstance } from 'fastify';
import { listImportErrors } from '../../orchestrator/metadb/import-errors.ts';
import { listPools } from '../../orchestrator/metadb/pools.ts';
import { contentType, metricsText, prom } from '../../orchestrator/observability/prometheus.ts';
import type { ApiDeps } from '../api-deps.ts';

/**
 * GET /metrics in Prometheus text format. The API server runs no scheduler, so the figures that live in the metadata
 * database (pool slots, queued task instances, import errors) are read from it at each scrape; the counters and
 * histograms of a scheduler or executor show here only when they run in this process (a standalone scheduler's are
 * sent by StatsD). Public, as a Prometheus target is: it names DAGs and pools, never secrets or logs.
 */
export async function registerMetrics(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const [pools, importErrors] = await Promise.all([listPools(deps.engine), listImportErrors(deps.engine)]);
    prom.importErrors.set(importErrors.length);
    let queued = 0;
    for (const p of pools) {
      prom.poolOpenSlots.set({ pool: p.pool }, Math.max(0, p.slots - p.running - p.queued));
      prom.poolRunningSlots.set({ pool: p.pool }, p.running);
      prom.poolQueuedSlots.set({ pool: p.pool }, p.queued);
      queued += p.queued;
    }
    prom.executorQueuedTasks.set(queued);
    return reply.type(contentType).send(await metricsText());
  });
}
