import type { RunType } from '../states.ts';
import { airflowIso } from './airflow-iso.ts';

/**
 * A run's id as Airflow 3 makes it (`DagRun.generate_run_id`): `<type>__<logical date in isoformat>`, e.g.
 * `scheduled__2018-11-01T00:00:00+00:00`. One logical date per DAG (the schema's unique key), so the id is unique too.
 */
export function runId(type: RunType, logicalDate: Date): string {
  return `${type}__${airflowIso(logicalDate)}`;
}
