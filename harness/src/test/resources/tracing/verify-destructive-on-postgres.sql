-- How the expected destructive changes of StatementTracingIT were established: psql -f this file on postgres:15.
CREATE TABLE t (id int PRIMARY KEY, n int);
INSERT INTO t SELECT g, g FROM generate_series(1,1000) g;
CREATE VIEW probe AS
 SELECT (SELECT string_agg(l.mode, ',' ORDER BY l.mode) FROM pg_locks l WHERE l.relation = 't'::regclass AND l.pid = pg_backend_pid()) AS locks,
        (SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass) AS filenode,
        (SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 't'::regclass) AS seq_scan,
        (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ') FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped) AS columns;
\echo drop column
BEGIN; SELECT * FROM probe; ALTER TABLE t DROP COLUMN n; SELECT * FROM probe; ROLLBACK;
\echo narrow type
BEGIN; SELECT * FROM probe; ALTER TABLE t ALTER COLUMN n TYPE smallint; SELECT * FROM probe; ROLLBACK;
\echo drop table: its locks, by oid, and whether pg_class still has it for this session
