-- Appended to 40-artists.sql in the songs step on PostgreSQL, where songs.artist_id references artists: the songs
-- step writes the artists its songs name first (the same rows, by the same rule, as the artists step), so the two
-- dimension steps can run in either order or at once. Rows already there are the artists step's: left alone.
ON CONFLICT (artist_id) DO NOTHING
