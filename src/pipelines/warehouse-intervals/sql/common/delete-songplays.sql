-- Re-running an interval replaces exactly its plays.
DELETE FROM songplays WHERE start_time >= :interval_start AND start_time < :interval_end;
