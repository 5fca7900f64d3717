-- How the expected rebuilds of MariaDbTracingIT were established: mariadb -f this file on mariadb:10.11; the
-- table's InnoDB space id after each ALTER (5, 5, 5, 6, 7: the MODIFY and ENGINE=InnoDB rebuilt it).
CREATE DATABASE v; USE v;
CREATE TABLE t (id int PRIMARY KEY, n int);
INSERT INTO t SELECT seq, seq FROM seq_1_to_2000;
SELECT 'start', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/t';
ALTER TABLE t ADD COLUMN c int;
SELECT 'add column (instant)', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/t';
CREATE INDEX t_n ON t (n);
SELECT 'create index (inplace, no rebuild)', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/t';
ALTER TABLE t MODIFY n bigint;
SELECT 'modify int to bigint (copy)', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/t';
ALTER TABLE t ENGINE=InnoDB;
SELECT 'engine=innodb (rebuild)', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/t';

-- Dropping a column is instant (same space id) on 10.11:
CREATE TABLE d (id int PRIMARY KEY, n int);
INSERT INTO d SELECT seq, seq FROM seq_1_to_2000;
SELECT 'start', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/d';
ALTER TABLE d DROP COLUMN n;
SELECT 'drop column', space FROM information_schema.INNODB_SYS_TABLES WHERE name = 'v/d';
