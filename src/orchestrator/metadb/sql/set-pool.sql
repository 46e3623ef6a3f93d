-- $1 pool, $2 slots, $3 description (null keeps the one it has).
INSERT INTO orch_pool (pool, slots, description) VALUES ($1, $2, $3)
ON CONFLICT (pool) DO UPDATE SET slots = EXCLUDED.slots, description = coalesce(EXCLUDED.description, orch_pool.description)
