import type { FastifyInstance } from 'fastify';
import { lineageOf } from '../../../orchestrator/metadb/lineage.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { uiSql } from './ui-sql.ts';

/** A dataset's lineage (the tasks that wrote it and, upstream, what they read), and the datasets one may ask about. */
export function registerLineage(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { name?: string } }>('/ui/lineage', {
    schema: {
      tags: ['UI'], summary: 'A dataset\'s lineage graph',
      querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 1000 } }, additionalProperties: false },
    },
  }, async (request) => {
    const name = request.query.name ?? '';
    const [datasets, steps] = await Promise.all([
      deps.engine.query<{ name: string }>(uiSql('metadb/lineage-datasets')),
      name === '' ? [] : lineageOf(deps.engine, name),
    ]);
    return { name, datasets: datasets.map((d) => d.name), steps };
  });
}
