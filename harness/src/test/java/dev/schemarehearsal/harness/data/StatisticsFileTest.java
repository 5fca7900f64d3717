package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatisticsFileTest {
    private static final String FIX = "e.g. {\"tables\": {\"orders\": {\"rows\": 120000000}}}; the README describes every "
            + "field, and stats-postgresql.sql / stats-mysql.sql produce the file";

    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("stats.json"), json);
    }

    @Test
    void theMinimalFormIsRowCounts() throws Exception {
        StatisticsSnapshot snapshot = StatisticsFile.read(file("{\"tables\": {\"orders\": {\"rows\": 120000000}, "
                + "\"public.customers\": {\"rows\": 5}}}"));
        assertThat(snapshot.tables().keySet()).containsExactly("orders", "public.customers");
        assertThat(snapshot.tables().get("orders").rows()).isEqualTo(120_000_000L);
        assertThat(snapshot.tables().get("orders").columns()).isEmpty();
    }

    @Test
    void theRichFormCarriesColumnStatistics() throws Exception {
        StatisticsSnapshot snapshot = StatisticsFile.read(file("""
                {"engine": "postgresql", "collectedAt": "2025-01-01T00:00:00Z",
                 "tables": {"orders": {"rows": 100, "pages": 3, "allVisiblePages": 2, "bytes": 24576, "columns": {
                   "status": {"nullFraction": 0.1, "distinct": -0.5, "averageWidth": 8,
                              "mostCommonValues": ["a", "b"], "mostCommonFrequencies": [0.6, 0.3],
                              "histogramBounds": ["c", "d"], "correlation": -0.2,
                              "histogram": {"histogram-type": "singleton", "buckets": [[1, 0.5]]}}}}}}
                """));
        ColumnStatistics status = snapshot.tables().get("orders").columns().get("status");
        assertThat(snapshot.engine()).isEqualTo("postgresql");
        assertThat(snapshot.tables().get("orders").pages()).isEqualTo(3);
        assertThat(snapshot.tables().get("orders").allVisiblePages()).isEqualTo(2);
        assertThat(status).isEqualTo(new ColumnStatistics(0.1, -0.5, 8, List.of("a", "b"), List.of(0.6, 0.3),
                List.of("c", "d"), -0.2, Map.of("histogram-type", "singleton", "buckets", List.of(List.of(1, 0.5)))));
    }

    @Test
    void errorsNameTheFileTheJsonPathAndTheFix() throws Exception {
        assertError("{\"tables\": {\"orders\": {}}}", "$.tables.orders.rows: missing: every table needs its row count",
                "$.tables.orders.rows");
        assertError("{\"tables\": {\"public.orders\": {\"rows\": \"many\"}}}",
                "$.tables[\"public.orders\"].rows: expected a whole number", "$.tables[\"public.orders\"].rows");
        assertError("{\"tables\": {\"orders\": {\"rowz\": 1}}}",
                "$.tables.orders.rowz: unknown field 'rowz'; the fields here are allVisiblePages, bytes, columns, pages, rows",
                "$.tables.orders.rowz");
        assertError("{\"tables\": {\"orders\": {\"rows\": -1}}}", "$.tables.orders.rows: -1 is negative", "$.tables.orders.rows");
        assertError("{\"tables\": {\"orders\": {\"rows\": 1, \"allVisiblePages\": -2}}}",
                "$.tables.orders.allVisiblePages: -2 is negative", "$.tables.orders.allVisiblePages");
        assertError("{\"tables\": {\"o\": {\"rows\": 1, \"columns\": {\"c\": {\"nullFraction\": 1.5}}}}}",
                "$.tables.o.columns.c.nullFraction: 1.5 is outside 0 to 1", "$.tables.o.columns.c.nullFraction");
        assertError("{\"tables\": {\"o\": {\"rows\": 1, \"columns\": {\"c\": {\"mostCommonValues\": [\"a\"]}}}}}",
                "$.tables.o.columns.c.mostCommonFrequencies: mostCommonValues and mostCommonFrequencies go together, "
                        + "one frequency per value", "$.tables.o.columns.c.mostCommonFrequencies");
        assertError("{\"tables\": {\"o\": {\"rows\": 1, \"columns\": {\"c\": {\"mostCommonValues\": [\"a\"], "
                        + "\"mostCommonFrequencies\": [2]}}}}}", "$.tables.o.columns.c.mostCommonFrequencies[0]: 2.0 is outside 0 to 1",
                "$.tables.o.columns.c.mostCommonFrequencies[0]");
        assertError("{\"tables\": {}}", "$.tables: no tables", "$.tables");
    }

    @Test
    void brokenJsonGivesTheLineAndColumn() throws Exception {
        Path file = file("{\"tables\": {\n  \"orders\": {\"rows\": 1,}}}");
        assertThatThrownBy(() -> StatisticsFile.read(file)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo("statistics");
            assertThat(e.getMessage()).startsWith(file + ":2:");
        });
    }

    private void assertError(String json, String problem, String at) throws Exception {
        Path file = file(json);
        assertThatThrownBy(() -> StatisticsFile.read(file)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo("statistics");
            assertThat(e.getMessage()).isEqualTo(file + ": " + problem);
            assertThat(e.fix()).isEqualTo("correct " + at + ", " + FIX);
        });
    }
}
