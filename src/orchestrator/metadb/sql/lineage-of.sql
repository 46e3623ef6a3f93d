-- The chain that produced dataset $1: the tasks that wrote it, the datasets those tasks read, the tasks that wrote
-- those, and so on, at most $2 steps up. A task is known by (dag_id, task_id) across its runs; a cycle (a task reading
-- what it writes) ends at the depth bound and, shown once per task and dataset at its nearest depth, repeats nothing.
WITH RECURSIVE chain (depth, kind, name, dag_id, task_id) AS (
  SELECT DISTINCT 1, o.kind, o.name, o.dag_id, o.task_id
  FROM orch_lineage o
  WHERE o.direction = 'out' AND o.name = $1
  UNION
  SELECT c.depth + 1, o.kind, o.name, o.dag_id, o.task_id
  FROM chain c
  JOIN orch_lineage i ON i.direction = 'in' AND i.dag_id = c.dag_id AND i.task_id = c.task_id
  JOIN orch_lineage o ON o.direction = 'out' AND o.kind = i.kind AND o.name = i.name
  WHERE c.depth < $2
)
SELECT min(c.depth)::int AS depth, c.kind, c.name, c.dag_id, c.task_id,
       (SELECT max(l.run_id) FROM orch_lineage l
        WHERE l.direction = 'out' AND l.dag_id = c.dag_id AND l.task_id = c.task_id AND l.kind = c.kind AND l.name = c.name) AS last_run_id,
       coalesce((SELECT jsonb_agg(DISTINCT jsonb_build_object('kind', i.kind, 'name', i.name))
                 FROM orch_lineage i WHERE i.direction = 'in' AND i.dag_id = c.dag_id AND i.task_id = c.task_id), '[]'::jsonb) AS inputs
FROM chain c
GROUP BY c.kind, c.name, c.dag_id, c.task_id
ORDER BY 1, c.name, c.dag_id, c.task_id
