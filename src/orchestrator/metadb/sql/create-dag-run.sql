-- $1 dag_id, $2 run_id, $3 version, $4 run_type, $5 logical_date, $6 data_interval_start, $7 data_interval_end,
-- $8 conf (JSON), $9 now, $10 backfill id (null: not a backfill's). A run of the same logical date already there
-- (another scheduler made it) is left alone: no row returned.
INSERT INTO orch_dag_run (dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, conf, queued_at, backfill_id)
VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8::jsonb, $9, $10::int)
ON CONFLICT (dag_id, logical_date) DO NOTHING
RETURNING run_id
