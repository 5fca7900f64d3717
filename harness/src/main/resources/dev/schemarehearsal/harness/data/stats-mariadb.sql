-- Schema Rehearsal: production statistics snapshot for MariaDB (stats.json).
--
-- Read-only: it reads information_schema.tables (InnoDB's row estimate and size) of the current database and
-- writes nothing. MariaDB has no information_schema.column_statistics, so the snapshot holds row counts only.
--
--   mariadb -h production -u reader -p --skip-column-names --raw app < stats-mariadb.sql > src/rehearsal/stats.json
SELECT JSON_OBJECT(
    'engine', 'mariadb',
    'collectedAt', DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%sZ'),
    'tables', (
        SELECT JSON_OBJECTAGG(t.table_name, JSON_OBJECT('rows', t.table_rows, 'bytes', t.data_length))
        FROM information_schema.tables t
        WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'));
