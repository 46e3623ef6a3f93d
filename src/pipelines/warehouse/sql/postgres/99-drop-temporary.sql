DROP TABLE staging_plays;
DROP TABLE staging_catalog_songs;
DROP TABLE song_catalog;
-- The keys and indexes 20-clear-star.sql dropped, each built once over the finished table (the names are schema.sql's).
ALTER TABLE time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
ALTER TABLE songplays ADD CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id);
CREATE INDEX songplays_start_time_idx ON songplays (start_time);
CREATE INDEX songplays_user_id_idx ON songplays (user_id);
