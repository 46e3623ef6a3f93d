-- $1 dag_id, $2 next logical date, $3 its data interval's start, $4 its end (all null: no run due any more).
UPDATE orch_dag SET next_logical_date = $2, next_data_interval_start = $3, next_data_interval_end = $4 WHERE dag_id = $1
