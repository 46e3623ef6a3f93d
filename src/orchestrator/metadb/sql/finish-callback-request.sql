-- $1 id, $2 done | failed, $3 error, $4 now.
UPDATE orch_callback_request SET state = $2, error = $3, done_at = $4 WHERE id = $1 AND state = 'running'
