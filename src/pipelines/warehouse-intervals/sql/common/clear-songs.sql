-- truncate-insert. DELETE, not TRUNCATE: Redshift's TRUNCATE commits the transaction it runs in.
DELETE FROM songs;
