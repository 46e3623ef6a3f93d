-- Each DAG's $1 newest runs (the DAG list's dots), in one pass.
SELECT dag_id, run_id, state, logical_date
FROM (
  SELECT dag_id, run_id, state, logical_date, row_number() OVER (PARTITION BY dag_id ORDER BY logical_date DESC) AS n
  FROM orch_dag_run
) r
WHERE n <= $1
ORDER BY dag_id, logical_date DESC
