-- Re-staging an interval replaces exactly its events: every staged event of [start, end) goes, whichever run staged it.
DELETE FROM staging_events WHERE ts >= :interval_start AND ts < :interval_end;
