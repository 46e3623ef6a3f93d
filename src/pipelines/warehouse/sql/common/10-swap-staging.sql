-- The freshly loaded staging tables replace the previous ones, in the transaction that rebuilds the star schema:
-- a load that fails before this point leaves the previous staging and star tables as they were.
DROP TABLE IF EXISTS staging_songs;
ALTER TABLE staging_songs_load RENAME TO staging_songs;
DROP TABLE IF EXISTS staging_events;
ALTER TABLE staging_events_load RENAME TO staging_events;
