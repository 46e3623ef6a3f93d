import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../api-deps.ts';
import { registerAnalytics } from './analytics.ts';
import { registerDagSummaries } from './dag-summaries.ts';
import { registerDurations } from './durations.ts';
import { registerDagParams, registerGraph } from './graph.ts';
import { registerGrid } from './grid.ts';
import { registerLineage } from './lineage.ts';
import { registerRunViews } from './run-views.ts';

/**
 * The web UI's own API (issue 17 §2): what the views need beyond Airflow's `/api/v2` (as Airflow's UI has its private
 * `/ui/...` endpoints): the grid, the graph with live states, a run's gantt and data-quality results, durations,
 * lineage, and analytics over the warehouse. Every route needs a user (the default `config.access`,
 * src/api/auth/access.ts); all are reads.
 */
export async function registerUiApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  registerDagSummaries(app, deps);
  registerGrid(app, deps);
  registerGraph(app, deps);
  registerDagParams(app, deps);
  registerRunViews(app, deps);
  registerDurations(app, deps);
  registerLineage(app, deps);
  registerAnalytics(app, deps);
}
