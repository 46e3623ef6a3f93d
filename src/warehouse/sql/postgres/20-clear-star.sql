-- The star schema is rebuilt from staging, which holds everything the sources hold. On PostgreSQL TRUNCATE is
-- transactional (a failed load rolls it back) and leaves no dead rows behind, unlike DELETE.
TRUNCATE songplays, songs, artists, users, time;
-- The big tables are filled bare and their keys and indexes built once each by 99-drop-temporary.sql: one sorted
-- build per index instead of maintaining four on songplays row by row (1M plays: about 3× cheaper). Nothing
-- references these keys, and the transaction's lock keeps every reader out until they are back.
ALTER TABLE songplays DROP CONSTRAINT songplays_pkey;
DROP INDEX songplays_start_time_idx;
DROP INDEX songplays_user_id_idx;
ALTER TABLE time DROP CONSTRAINT time_pkey;
