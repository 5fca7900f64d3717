-- Schema Rehearsal: production statistics snapshot for PostgreSQL (stats.json).
--
-- Read-only: it reads pg_class and pg_stats (the planner's own statistics, as of the last ANALYZE) and writes
-- nothing. pg_stats shows only the columns the user may read, so run it as a user who can read the tables.
--
--   psql "postgresql://reader@production/app" -X -q -A -t -f stats-postgresql.sql -o src/rehearsal/stats.json
--
-- Every user table of every schema is included, named schema.table. Remove what the rehearsal should not see.
SELECT jsonb_pretty(json_build_object(
    'engine', 'postgresql',
    'collectedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'tables', coalesce((
        SELECT json_object_agg(n.nspname || '.' || c.relname, json_strip_nulls(json_build_object(
            -- reltuples is -1 for a table never analyzed or vacuumed.
            'rows', greatest(c.reltuples, 0)::bigint,
            'pages', c.relpages,
            -- Pages the visibility map marks all-visible: how much an index-only scan reads of the table.
            'allVisiblePages', c.relallvisible,
            'bytes', pg_table_size(c.oid),
            'columns', (
                SELECT json_object_agg(s.attname, json_strip_nulls(json_build_object(
                    'nullFraction', s.null_frac,
                    'distinct', s.n_distinct,
                    'averageWidth', s.avg_width,
                    'mostCommonValues', s.most_common_vals::text::text[],
                    'mostCommonFrequencies', s.most_common_freqs,
                    'histogramBounds', s.histogram_bounds::text::text[],
                    'correlation', s.correlation)))
                FROM pg_stats s
                WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND NOT s.inherited))))
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%'
          AND n.nspname NOT LIKE 'pg\_temp%'),
        '{}'::json))::jsonb);
