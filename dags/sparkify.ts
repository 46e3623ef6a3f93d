// Sparkify's hourly warehouse refresh: the course's DAG (Begin → stage → fact → dimensions → quality → End), one run
// per hour of events. The warehouse and the data come from connections (defaults: the embedded DuckDB file and the
// demo data under the data directory); a trigger's conf may name others, and the events' format.
import { chain, dag } from '../src/orchestrator/dag/index.ts';
import { DataQuality, Empty, LoadDimension, LoadFact, StageToWarehouse } from '../src/orchestrator/operators/index.ts';

export const sparkify = dag({
  id: 'sparkify',
  description: 'Load and transform Sparkify\'s events and songs into the warehouse, hourly',
  schedule: '@hourly',
  start: '2018-11-01T00:00:00Z',
  catchup: true,
  maxActiveRuns: 1,
  defaultArgs: { owner: 'sparkify', retries: 3, retryDelay: '5m', dependsOnPast: false },
  tags: ['sparkify', 'warehouse'],
  params: {
    warehouse_conn_id: 'sparkify_warehouse',
    data_conn_id: 'sparkify_data',
    // The course sample has log_json_path.json; the simulated demo data is read by its field names.
    events_format: 'auto ignorecase',
  },
});

const warehouse = '{{ params.warehouse_conn_id }}';
const data = '{{ params.data_conn_id }}';

const begin = new Empty(sparkify, 'Begin');
const stageEvents = new StageToWarehouse(sparkify, 'Stage_events', {
  table: 'staging_events', warehouseConnId: warehouse, storageConnId: data,
  key: "log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json", format: '{{ params.events_format }}',
});
const stageSongs = new StageToWarehouse(sparkify, 'Stage_songs', { table: 'staging_songs', warehouseConnId: warehouse, storageConnId: data, key: 'song_data', format: 'auto' });
const fact = new LoadFact(sparkify, 'Load_songplays_fact', { warehouseConnId: warehouse });
// Users and time merge the hour's plays (upsert); songs and artists are rebuilt from the songs staged whole.
const dimensions = [
  new LoadDimension(sparkify, 'Load_user_dim', { warehouseConnId: warehouse, table: 'users', mode: 'upsert' }),
  new LoadDimension(sparkify, 'Load_song_dim', { warehouseConnId: warehouse, table: 'songs', mode: 'truncate-insert' }),
  new LoadDimension(sparkify, 'Load_artist_dim', { warehouseConnId: warehouse, table: 'artists', mode: 'truncate-insert' }),
  new LoadDimension(sparkify, 'Load_time_dim', { warehouseConnId: warehouse, table: 'time', mode: 'upsert' }),
];
const quality = new DataQuality(sparkify, 'Run_data_quality_checks', {
  warehouseConnId: warehouse,
  tables: ['songplays', 'users', 'songs', 'artists', 'time'],
  checks: [
    { name: 'songplays have a user', sql: 'SELECT count(*) FROM songplays WHERE user_id IS NULL', expect: { equals: 0 } },
    { name: 'songplay ids are unique', sql: 'SELECT songplay_id FROM songplays GROUP BY songplay_id HAVING count(*) > 1', expect: 'no rows' },
    { name: 'every play has its time', sql: 'SELECT p.songplay_id FROM songplays p LEFT JOIN time t ON t.start_time = p.start_time WHERE t.start_time IS NULL', expect: 'no rows' },
    { name: 'every play has its user', sql: 'SELECT p.songplay_id FROM songplays p LEFT JOIN users u ON u.user_id = p.user_id WHERE u.user_id IS NULL', expect: 'no rows' },
    { name: 'songs loaded', sql: 'SELECT count(*) FROM songs', expect: 'not empty' },
    { name: 'artists loaded', sql: 'SELECT count(*) FROM artists', expect: 'not empty' },
  ],
});
const end = new Empty(sparkify, 'End');

chain(begin, [stageEvents, stageSongs], fact, dimensions, quality, end);
