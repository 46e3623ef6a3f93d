/**
 * A run's place in time, as Airflow 3 defines it for data-interval schedules: the run covers
 * [dataIntervalStart, dataIntervalEnd), its logical date is the interval's start, and it may start once the interval
 * has ended (`runAfter` = dataIntervalEnd <= now). All instants are UTC `Date`s; time zones live only in the grids.
 */
export interface RunInterval {
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** Not before this instant (Airflow's run_after / next_dagrun_create_after). */
  runAfter: Date;
}

/** The interval from one tick to the next, due when it ends. */
export function periodInterval(start: Date, end: Date): RunInterval {
  return { logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end, runAfter: end };
}

/** A zero-length interval at `at` (Airflow's DagRunInfo.exact), due at `at`: @once, and DAGs without a schedule. */
export function exactInterval(at: Date): RunInterval {
  return { logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, runAfter: at };
}
