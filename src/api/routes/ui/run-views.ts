import type { FastifyInstance } from 'fastify';
import { getResult } from '../../../orchestrator/metadb/task-results.ts';
import { getTaskRun } from '../../../orchestrator/metadb/task-runs.ts';
import { qualityResultsKey } from '../../../orchestrator/runner/record-outcome.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { notFound } from '../../problem.ts';
import { runParams, type RunParams } from './schemas.ts';
import { uiSql } from './ui-sql.ts';

interface CheckResult {
  name: string;
  sql: string;
  passed: boolean;
  value: unknown;
  reason?: string;
}

/** One run's gantt chart (every try, retries included) and its data-quality results. */
export function registerRunViews(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: RunParams }>('/ui/dags/:dag_id/runs/:dag_run_id/gantt', {
    schema: { tags: ['UI'], summary: 'Gantt: every try of one run, with its start and end', params: runParams },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    if ((await getTaskRun(deps.engine, dagId, runId)) === undefined) throw notFound(`no run ${runId} of DAG ${dagId}`);
    const rows = await deps.engine.query<{ task_id: string; try_number: number; state: string; start_date: Date; end_date: Date | null }>(
      uiSql('metadb/run-tries'), [dagId, runId]);
    return { runId, tries: rows.map((r) => ({ taskId: r.task_id, tryNumber: r.try_number, state: r.state, startDate: r.start_date, endDate: r.end_date })) };
  });

  app.get<{ Params: RunParams }>('/ui/dags/:dag_id/runs/:dag_run_id/quality', {
    schema: { tags: ['UI'], summary: 'The data-quality checks of one run\'s DataQuality tasks', params: runParams },
  }, async (request) => {
    const { dag_id: dagId, dag_run_id: runId } = request.params;
    const run = await getTaskRun(deps.engine, dagId, runId);
    if (run === undefined) throw notFound(`no run ${runId} of DAG ${dagId}`);
    const checks: (CheckResult & { taskId: string })[] = [];
    for (const task of run.dag.tasks.filter((t) => t.operator === 'DataQuality')) {
      const key = { dagId, runId, taskId: task.id };
      // A passing task returns its results; a failing one's are stored with its failure (runner/record-outcome.ts).
      let stored = await getResult(deps.engine, key);
      if (!stored.found) stored = await getResult(deps.engine, key, qualityResultsKey);
      if (stored.found && Array.isArray(stored.value)) for (const c of stored.value as CheckResult[]) checks.push({ taskId: task.id, ...c });
    }
    return { runId, checks };
  });
}
