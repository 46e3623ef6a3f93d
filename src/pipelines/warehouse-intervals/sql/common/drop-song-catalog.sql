DROP TABLE song_catalog;
