DROP TABLE staging_plays;
DROP TABLE staging_catalog_songs;
DROP TABLE song_catalog;
