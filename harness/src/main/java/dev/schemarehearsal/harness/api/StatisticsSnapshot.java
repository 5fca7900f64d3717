package dev.schemarehearsal.harness.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Production's statistics ({@code stats.json}): row counts and, optionally, column statistics per table, as the
 * scripts {@code stats-postgresql.sql} and {@code stats-mysql.sql} produce them. Field names are the JSON's.
 *
 * @param engine      the engine the snapshot was taken on, informational
 * @param collectedAt when it was taken, informational
 * @param tables      by table name, optionally {@code schema.table}
 */
public record StatisticsSnapshot(String engine, String collectedAt, Map<String, TableStatistics> tables) {

    public StatisticsSnapshot {
        // In the file's order, which the report keeps.
        tables = tables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * One table in production.
     *
     * @param rows            row count (required)
     * @param pages           pages of the table's storage in the engine's page size, if known
     * @param allVisiblePages of those, the pages the engine's visibility map marks all-visible (PostgreSQL's
     *                        {@code pg_class.relallvisible}), if known
     * @param bytes           size of the table's storage in bytes, if known
     * @param columns         column statistics by column name, possibly empty
     */
    public record TableStatistics(Long rows, Long pages, Long allVisiblePages, Long bytes,
                                  Map<String, ColumnStatistics> columns) {
        public TableStatistics {
            columns = columns == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }
    }

    /**
     * One column in production, in PostgreSQL's {@code pg_stats} terms; every field is optional.
     *
     * @param nullFraction          share of rows that are NULL, 0 to 1
     * @param distinct              distinct non-null values: a count when positive, minus a share of the rows when
     *                              negative ({@code -1} = all distinct), as {@code pg_stats.n_distinct}
     * @param averageWidth          average width of a value in bytes
     * @param mostCommonValues      the most common values, as text
     * @param mostCommonFrequencies their frequencies, same length
     * @param histogramBounds       bounds of equal-population buckets of the other values, as text
     * @param correlation           physical versus logical order, -1 to 1
     * @param histogram             MySQL 8's own histogram document ({@code information_schema.column_statistics})
     */
    public record ColumnStatistics(Double nullFraction, Double distinct, Integer averageWidth,
                                   List<String> mostCommonValues, List<Double> mostCommonFrequencies,
                                   List<String> histogramBounds, Double correlation, Map<String, Object> histogram) { }
}
