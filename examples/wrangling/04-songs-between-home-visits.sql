-- How many songs does a user play, on average, between two visits to the home page? As the course does it: each
-- user's Home and NextSong events, newest first; a running count of Home visits (RANGE: events at the same ts count
-- together) numbers the periods; the NextSong events of each (user, period), averaged.
WITH periods AS (
  SELECT userId, page,
         sum(CASE WHEN page = 'Home' THEN 1 ELSE 0 END) OVER (
           PARTITION BY userId ORDER BY ts DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
         ) AS period
  FROM log_data
  WHERE page IN ('NextSong', 'Home')
)
SELECT avg(songs) AS average_songs
FROM (SELECT userId, period, count(*) AS songs FROM periods WHERE page = 'NextSong' GROUP BY userId, period) AS per_period
