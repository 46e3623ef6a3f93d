-- How many distinct users of a gender (here F) are there?
SELECT count(DISTINCT userId) AS users
FROM log_data
WHERE gender = 'F'
