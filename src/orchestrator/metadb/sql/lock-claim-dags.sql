-- A claim's second statement: the DAGs with queued task instances in the pools locked by the first ($1), locked in a
-- fixed order for their maxActiveTasks, as the pools are for their slots (one DAG's tasks may sit in several pools).
-- $2 dag_id, $3 run_id: the claim's scope, as in lock-claim-pools.sql (null: any).
SELECT dag_id FROM orch_dag
WHERE dag_id IN (SELECT dag_id FROM orch_task_instance WHERE state = 'queued' AND pool = ANY ($1::text[])
                 AND ($2::text IS NULL OR dag_id = $2) AND ($3::text IS NULL OR run_id = $3))
ORDER BY dag_id
FOR UPDATE
