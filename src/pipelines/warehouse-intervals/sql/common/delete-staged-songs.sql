-- Song metadata has no time: every run stages all of it, replacing what was staged (idempotent).
DELETE FROM staging_songs;
