DROP TABLE staging_plays;
