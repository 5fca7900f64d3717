-- How the expected verdicts of StatementTracingIT were established, independently of the harness:
-- psql -f this file on postgres:15; each statement inside BEGIN/ROLLBACK, reading its own session's
-- pg_locks, pg_class.relfilenode and pg_stat_xact_user_tables before and after.
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT g FROM generate_series(1,1000) g;
CREATE TABLE t (id int PRIMARY KEY, n int);
INSERT INTO t SELECT g, g FROM generate_series(1,1000) g;
CREATE VIEW probe AS
 SELECT (SELECT string_agg(l.mode, ',' ORDER BY l.mode) FROM pg_locks l WHERE l.relation = 't'::regclass AND l.pid = pg_backend_pid()) AS locks,
        (SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass) AS filenode,
        (SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 't'::regclass) AS seq_scan;
\echo add column int
BEGIN; SELECT * FROM probe; ALTER TABLE t ADD COLUMN c int; SELECT * FROM probe; ROLLBACK;
\echo volatile default
BEGIN; SELECT * FROM probe; ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp(); SELECT * FROM probe; ROLLBACK;
\echo constant default
BEGIN; SELECT * FROM probe; ALTER TABLE t ADD COLUMN c int DEFAULT 0; SELECT * FROM probe; ROLLBACK;
\echo create index
BEGIN; SELECT * FROM probe; CREATE INDEX ON t (n); SELECT * FROM probe; ROLLBACK;
\echo set not null
BEGIN; SELECT * FROM probe; ALTER TABLE t ALTER COLUMN n SET NOT NULL; SELECT * FROM probe; ROLLBACK;
\echo type bigint
BEGIN; SELECT * FROM probe; ALTER TABLE t ALTER COLUMN n TYPE bigint; SELECT * FROM probe; ROLLBACK;
\echo fk
BEGIN; SELECT * FROM probe; ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (n) REFERENCES p (id); SELECT * FROM probe; ROLLBACK;
\echo fk not valid
BEGIN; SELECT * FROM probe; ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (n) REFERENCES p (id) NOT VALID; SELECT * FROM probe; ROLLBACK;
\echo vacuum full filenode before/after
SELECT relfilenode FROM pg_class WHERE relname = 't';
VACUUM FULL t;
SELECT relfilenode FROM pg_class WHERE relname = 't';
\echo vacuum
VACUUM t;
SELECT relfilenode FROM pg_class WHERE relname = 't';
