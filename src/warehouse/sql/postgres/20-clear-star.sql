-- The star schema is rebuilt from staging, which holds everything the sources hold. On PostgreSQL TRUNCATE is
-- transactional (a failed load rolls it back) and leaves no dead rows behind, unlike DELETE.
TRUNCATE songplays, songs, artists, users, time;
