-- Every distinct play timestamp, broken down. weekday: 0 = Sunday … 6 = Saturday (ISO day of week mod 7); week: ISO.
SELECT start_time,
       CAST(EXTRACT(HOUR FROM start_time) AS INT) AS hour, CAST(EXTRACT(DAY FROM start_time) AS INT) AS day,
       CAST(EXTRACT(WEEK FROM start_time) AS INT) AS week, CAST(EXTRACT(DOW_ISO FROM start_time) AS INT) % 7 AS weekday,
       CAST(EXTRACT(YEAR FROM start_time) AS INT) AS year, CAST(EXTRACT(MONTH FROM start_time) AS INT) AS month
FROM (SELECT DISTINCT start_time FROM lake_plays) AS plays
