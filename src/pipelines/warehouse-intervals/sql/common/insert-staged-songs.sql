INSERT INTO staging_songs SELECT * FROM :scratch;
