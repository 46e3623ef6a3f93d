-- $1 username: the user goes, and its tokens with it (ON DELETE CASCADE).
DELETE FROM orch_user WHERE username = $1 RETURNING username
