import { airflowIso } from './airflow-iso.ts';

export interface RunDates {
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
}

/** The date values of a task's template context, as Airflow 3 formats them; strings, all in UTC. */
export interface TemplateDates {
  /** `2018-11-01` */
  ds: string;
  /** `20181101` */
  ds_nodash: string;
  /** `2018-11-01T00:00:00+00:00` */
  ts: string;
  /** `20181101T000000` */
  ts_nodash: string;
  /** `20181101T000000+0000` */
  ts_nodash_with_tz: string;
  logical_date: string;
  data_interval_start: string;
  data_interval_end: string;
}

/**
 * The dates a run's templates see. Airflow computes them from the logical date in UTC, whatever the DAG's time zone
 * (a Berlin daily run at local midnight has the previous day's `ds`), and so do we: the same text in both.
 */
export function templateDates(run: RunDates): TemplateDates {
  const ts = airflowIso(run.logicalDate);
  const ds = ts.slice(0, 10);
  const ds_nodash = ds.replaceAll('-', '');
  return {
    ds,
    ds_nodash,
    ts,
    ts_nodash: `${ds_nodash}T${ts.slice(11, 19).replaceAll(':', '')}`,
    ts_nodash_with_tz: ts.replaceAll('-', '').replaceAll(':', ''),
    logical_date: ts,
    data_interval_start: airflowIso(run.dataIntervalStart),
    data_interval_end: airflowIso(run.dataIntervalEnd),
  };
}
