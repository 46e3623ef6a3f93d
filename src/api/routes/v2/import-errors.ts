import type { FastifyInstance } from 'fastify';
import { type ImportErrorRow, listImportErrors } from '../../../orchestrator/metadb/import-errors.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { collection, dateTime, int, iso, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';

const importErrorSchema = object({ import_error_id: int, timestamp: dateTime, filename: str, bundle_name: nullableStr, stack_trace: str });

/**
 * Our import errors are keyed by file (one current error each); the numeric id Airflow's shape needs is the error's
 * place in the list ordered by file, so it holds only while the set of errors is unchanged (docs/api.md).
 */
const importErrorOf = (e: ImportErrorRow, i: number) => ({
  import_error_id: i + 1, timestamp: iso(e.createdAt), filename: e.file, bundle_name: 'dags-folder', stack_trace: e.line === null ? e.message : `line ${e.line}: ${e.message}`,
});

export async function registerImportErrors(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/importErrors', {
    config: { access: 'public' },
    schema: { tags: ['ImportError'], summary: 'DAG files that failed to load', querystring: { type: 'object', properties: { ...pageQuery } }, response: { 200: collection('import_errors', importErrorSchema) } },
  }, async (request) => {
    const q = request.query as PageParams;
    const all = (await listImportErrors(deps.engine)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { import_errors: page(all.map(importErrorOf), q), total_entries: all.length };
  });

  app.get('/api/v2/importErrors/:import_error_id', {
    config: { access: 'public' },
    schema: { tags: ['ImportError'], summary: 'One import error', params: object({ import_error_id: { type: 'integer', minimum: 1 } }), response: { 200: importErrorSchema } },
  }, async (request) => {
    const { import_error_id } = request.params as { import_error_id: number };
    const all = (await listImportErrors(deps.engine)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const e = all[import_error_id - 1];
    if (e === undefined) throw new ApiProblem(404, `The ImportError with import_error_id: \`${import_error_id}\` was not found`);
    return importErrorOf(e, import_error_id - 1);
  });
}
