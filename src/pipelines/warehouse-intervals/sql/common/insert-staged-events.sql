-- The interval's events out of everything its objects hold (a day's file serves 24 hourly runs). Events without a ts
-- belong to no interval and are never staged by these steps (the one-shot load stages them; no star table uses them).
INSERT INTO staging_events SELECT * FROM :scratch WHERE ts >= :interval_start AND ts < :interval_end;
