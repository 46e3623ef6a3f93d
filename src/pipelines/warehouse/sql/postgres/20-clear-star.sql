-- The star schema is rebuilt from staging, which holds everything the sources hold. On PostgreSQL TRUNCATE is
-- transactional (a failed load rolls it back) and leaves no dead rows behind, unlike DELETE.
TRUNCATE songplays, songs, artists, users, time;
-- The transform sorts and hashes about a million rows several times (the users' latest level, the distinct times,
-- the plays' duplicates) and builds four indexes over as many rows: with the defaults (4 MB, 64 MB) those spill to
-- disk. For this transaction only.
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- The big tables are filled bare and their keys and indexes built once each by 99-drop-temporary.sql: one sorted
-- build per index is much cheaper than maintaining four on songplays row by row
-- (docs/decisions/2026-12-01-warehouse-postgres-transform.md). Nothing references these keys, and the transaction's
-- lock keeps every reader out until they are back.
ALTER TABLE songplays DROP CONSTRAINT songplays_pkey;
DROP INDEX songplays_start_time_idx;
DROP INDEX songplays_user_id_idx;
ALTER TABLE time DROP CONSTRAINT time_pkey;
