-- The star schema is rebuilt from staging, which holds everything the sources hold. DELETE rather than TRUNCATE:
-- Redshift's TRUNCATE commits the transaction it runs in. Facts first, then the dimensions they reference.
DELETE FROM songplays;
DELETE FROM songs;
DELETE FROM artists;
DELETE FROM users;
DELETE FROM time;
