// An example of a custom operator and hook kept in the DAG folder (dags/_plugins/): a daily report of the plays by
// subscription level, written after the hourly DAG has filled the warehouse.
import { dag } from '../src/orchestrator/dag/index.ts';
import { ObjectKeySensor } from '../src/orchestrator/operators/index.ts';
import { DailyPlaysReport } from './_plugins/daily-plays-report.ts';

export const report = dag({
  id: 'daily_plays_report',
  description: 'The plays of each day by subscription level, as a JSON file',
  schedule: '@daily',
  start: '2018-11-01T00:00:00Z',
  catchup: false,
  defaultArgs: { owner: 'sparkify', retries: 1, retryDelay: '10m' },
  tags: ['example', 'sparkify'],
  params: { warehouse_conn_id: 'sparkify_warehouse', data_conn_id: 'sparkify_data', reports_conn_id: 'sparkify_reports' },
});

// The day's events are in place before the report is made (rescheduled, so it holds no worker slot while it waits).
const waitForEvents = new ObjectKeySensor(report, 'wait_for_events', {
  storageConnId: '{{ params.data_conn_id }}', key: "log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json",
  mode: 'reschedule', pokeInterval: '5m', timeout: '6h',
});
waitForEvents.then(new DailyPlaysReport(report, 'plays_by_level', {
  warehouseConnId: '{{ params.warehouse_conn_id }}', reportsConnId: '{{ params.reports_conn_id }}', name: 'plays/{{ ds }}.json',
}));
