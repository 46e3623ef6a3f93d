DELETE FROM orch_pool WHERE pool = $1 RETURNING pool
