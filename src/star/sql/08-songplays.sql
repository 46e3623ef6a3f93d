-- Plays, matched to the catalog on title + artist name + duration. Duplicate events (same natural key) collapse into
-- one play: the first in input order is kept (ctid: the staged events' physical order is the COPY's). Rows go in key
-- order, so the primary key grows at its right edge. The counts feed 09-songplays-rematch.sql.
-- Two statements, of which the one-time condition runs exactly one. When this transaction created the table (its
-- pg_class row is ours), nobody else can see it and it is empty: DISTINCT ON keeps the first of each key and a plain
-- INSERT adds them without the per-row cost of ON CONFLICT. Otherwise ON CONFLICT DO NOTHING keeps the existing
-- play, or the first in input order.
WITH inserted AS (
  INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
  SELECT DISTINCT ON (1)
         e.session_id || ':' || e.item_in_session || ':' || e.user_id,
         timestamp '1970-01-01 00:00:00' + e.ts * interval '1 millisecond',
         e.user_id, e.level, c.song_id, c.artist_id, e.session_id, e.location, e.user_agent
  FROM stage_events e
  LEFT JOIN song_catalog c ON c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length
  WHERE (SELECT xmin = pg_current_xact_id()::xid FROM pg_class WHERE oid = 'songplays'::regclass)
  ORDER BY 1, e.ctid
  RETURNING 1
)
INSERT INTO load_counts (songplays_inserted) SELECT count(*) FROM inserted;

WITH inserted AS (
  INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
  SELECT e.session_id || ':' || e.item_in_session || ':' || e.user_id,
         timestamp '1970-01-01 00:00:00' + e.ts * interval '1 millisecond',
         e.user_id, e.level, c.song_id, c.artist_id, e.session_id, e.location, e.user_agent
  FROM stage_events e
  LEFT JOIN song_catalog c ON c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length
  WHERE (SELECT xmin <> pg_current_xact_id()::xid FROM pg_class WHERE oid = 'songplays'::regclass)
  ORDER BY 1, e.ctid
  ON CONFLICT (songplay_id) DO NOTHING
  RETURNING 1
)
INSERT INTO load_counts (songplays_inserted) SELECT count(*) FROM inserted;
