-- Plays by the user's location as the event gave it (eventsim's "City, ST"), the 15 busiest.
SELECT coalesce(location, '(unknown)') AS location, CAST(count(*) AS INTEGER) AS plays
FROM songplays
GROUP BY 1
ORDER BY plays DESC, location
LIMIT 15
