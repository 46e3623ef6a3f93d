-- $1 dag_id (null: every DAG's), $2 states (null: any): how many runs match (page-dag-runs' total past its end).
SELECT count(*)::int AS n FROM orch_dag_run WHERE ($1::text IS NULL OR dag_id = $1) AND ($2::text[] IS NULL OR state = ANY ($2::text[]))
