-- Schema Rehearsal: production statistics snapshot for MySQL 8 (stats.json).
--
-- Read-only: it reads information_schema.tables (InnoDB's row estimate and size) and
-- information_schema.column_statistics (the histograms ANALYZE TABLE ... UPDATE HISTOGRAM built) of the
-- current database, and writes nothing.
--
--   mysql -h production -u reader -p --skip-column-names --raw app < stats-mysql.sql > src/rehearsal/stats.json
--
-- On MariaDB, which has no information_schema.column_statistics, run stats-mariadb.sql instead.
SELECT JSON_OBJECT(
    'engine', 'mysql',
    'collectedAt', DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%sZ'),
    'tables', (
        SELECT JSON_OBJECTAGG(t.table_name, JSON_OBJECT(
            'rows', t.table_rows,
            'bytes', t.data_length,
            'columns', (
                SELECT JSON_OBJECTAGG(s.column_name, JSON_OBJECT('histogram', s.histogram))
                FROM information_schema.column_statistics s
                WHERE s.schema_name = t.table_schema AND s.table_name = t.table_name)))
        FROM information_schema.tables t
        WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'));
