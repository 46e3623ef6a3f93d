-- Which pages did the user with the empty userId (a visitor not logged in) never visit?
SELECT DISTINCT page
FROM log_data
WHERE page NOT IN (SELECT DISTINCT page FROM log_data WHERE userId = '')
ORDER BY page
