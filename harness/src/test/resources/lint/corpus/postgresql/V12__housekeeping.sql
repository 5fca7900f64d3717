-- Housekeeping after the 2026 clean-up of old revisions.
SET lock_timeout = '2s';
SET search_path = public;
SELECT setval('tag_number_seq', (SELECT coalesce(max(id), 1000) FROM tags));
ALTER SEQUENCE accounts_id_seq RESTART WITH 100000;
ALTER TABLE accounts ALTER COLUMN created_at TYPE timestamp;
ALTER TABLE pages ALTER COLUMN body TYPE text USING body;
ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar(200);
