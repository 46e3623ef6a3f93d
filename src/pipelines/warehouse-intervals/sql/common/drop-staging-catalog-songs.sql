DROP TABLE staging_catalog_songs;
