import { compileChecks, QualityCheckError, runQualityChecks, type CheckResult } from '../../pipelines/warehouse-intervals/quality-checks.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { JsonObject, JsonValue } from '../dag/json-value.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { table } from './dataset-names.ts';
import { onWarehouse } from './warehouse-task.ts';

/** A check as a DAG writes it (JSON): what the pipeline's QualityCheck is. */
export type CheckSpec = {
  name: string;
  sql: string;
  expect: { equals: number } | { op: '>' | '>=' | '<' | '<=' | '!='; value: number } | { between: [number, number] } | 'no rows' | 'not empty';
};

export type DataQualityParams = {
  warehouseConnId: string;
  /** Every check runs; templated (their SQL may name `{{ ds }}`). */
  checks: CheckSpec[];
  /** The tables the checks read, for lineage. */
  tables?: string[];
};

/**
 * The course's DataQualityOperator: every check runs (one failing does not hide the next), every result is logged and
 * returned (stored as the task's result), and if any failed the task fails with SPK_E_QUALITY listing each of them.
 */
export class DataQuality extends BaseOperator<DataQualityParams, JsonValue[]> {
  override readonly templateFields = ['warehouseConnId', 'checks'] as const;

  constructor(scope: TaskScope, id: string, options: DataQualityParams & TaskOptions) {
    // A bad check is the DAG file's error, found when it loads rather than at the first run.
    compileChecks(options?.checks);
    super(scope, id, { inlets: (options.tables ?? []).map(table), ...options });
  }

  async execute(context: TaskContext<DataQualityParams>): Promise<JsonValue[]> {
    return onWarehouse(context, context.params.warehouseConnId, async (engine, where) => {
      let results: CheckResult[];
      try {
        results = await runQualityChecks(engine, context.params.checks);
      } catch (error) {
        // The failure's message lists the failed checks; the log keeps every result, passed ones too.
        if (error instanceof QualityCheckError) for (const r of error.results) context.log(line(r));
        throw error;
      }
      context.log(`${results.length} data quality checks passed on ${where}`);
      for (const r of results) context.log(line(r));
      return results.map(asJson);
    });
  }
}

const line = (r: CheckResult) => `${r.passed ? 'passed' : 'FAILED'}: ${r.name} (value ${r.value ?? 'none'}${r.reason ? `; ${r.reason}` : ''})`;

function asJson(r: CheckResult): JsonObject {
  return { name: r.name, sql: r.sql, expect: JSON.parse(JSON.stringify(r.expect)) as JsonValue, value: r.value, passed: r.passed, ...(r.reason === undefined ? {} : { reason: r.reason }) };
}
