-- Which users downgraded (submitted a downgrade from paid to free)?
SELECT DISTINCT userId
FROM log_data
WHERE page = 'Submit Downgrade'
ORDER BY userId
