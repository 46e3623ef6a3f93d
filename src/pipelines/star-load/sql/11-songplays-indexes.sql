-- The fact table's secondary indexes. A no-op once they exist; on the first load they are built here, over the
-- finished table, instead of being maintained row by row during the insert.
CREATE INDEX IF NOT EXISTS songplays_start_time_idx ON songplays (start_time);
CREATE INDEX IF NOT EXISTS songplays_user_id_idx ON songplays (user_id);
CREATE INDEX IF NOT EXISTS songplays_song_id_idx ON songplays (song_id) WHERE song_id IS NOT NULL;
