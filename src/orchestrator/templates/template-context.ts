import type { JsonObject, JsonValue } from '../dag/json-value.ts';

/** A connection as templates may read it (`{{ conn.warehouse.host }}`); the metadata database decides what it shows. */
export type ConnectionFields = Record<string, JsonValue>;

/** Where templates read variables and connections: the metadata database, later; any function in tests. */
export interface TemplateLookups {
  /** A variable's text, or undefined if there is none by that name. */
  variable(name: string): Promise<string | undefined> | string | undefined;
  connection(id: string): Promise<ConnectionFields | undefined> | ConnectionFields | undefined;
}

/** A run's facts, from which the context templates see (`ds`, `ts`, …) is made. */
export interface RunFacts {
  dagId: string;
  taskId: string;
  runId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The start of the data interval of the last successful run before this one, if any. */
  prevDataIntervalStartSuccess: Date | null;
  /** The run's params (the DAG's, overridden by the trigger's conf). */
  params: JsonObject;
}

/** An instant as Airflow prints `ts`: `2018-11-01T00:00:00+00:00`. */
export const isoUtc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** The plain values of a template's context (Airflow's names; dates in UTC, as Airflow's `ds` and `ts` are). */
export function templateValues(run: RunFacts): Record<string, JsonValue> {
  const ts = isoUtc(run.logicalDate);
  const ds = ts.slice(0, 10);
  return {
    ds,
    ds_nodash: ds.replaceAll('-', ''),
    ts,
    ts_nodash: ts.slice(0, 19).replaceAll('-', '').replaceAll(':', ''),
    logical_date: ts,
    data_interval_start: isoUtc(run.dataIntervalStart),
    data_interval_end: isoUtc(run.dataIntervalEnd),
    prev_data_interval_start_success: run.prevDataIntervalStartSuccess === null ? null : isoUtc(run.prevDataIntervalStartSuccess),
    run_id: run.runId,
    dag_id: run.dagId,
    task_id: run.taskId,
    params: run.params,
  };
}
