package dev.schemarehearsal.harness.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The source's statistics snapshot, taken by the same read-only script a user would run on production
 * ({@code stats-postgresql.sql}, {@code stats-mysql.sql}, {@code stats-mariadb.sql}), in the sample's transaction.
 */
final class SourceStatistics {
    private SourceStatistics() {
    }

    /**
     * @param tables the tables the sample covers: the snapshot keeps only those
     * @param masked masked columns by table: their statistics lose every value (most common values, histograms), as
     *               values there would be production's originals
     */
    static StatisticsSnapshot take(Connection connection, Dialect dialect, Set<TableName> tables,
                                   Map<TableName, Set<String>> masked) throws SQLException {
        String json;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(StatisticsFile.script(dialect.statisticsScript()))) {
            rs.next();
            json = rs.getString(1);
        }
        StatisticsSnapshot snapshot;
        try {
            snapshot = SampleFiles.JSON.readValue(json, StatisticsSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new InfrastructureException("the source's statistics script " + dialect.statisticsScript()
                    + " returned no statistics document: " + e.getOriginalMessage(), "report this with the source's version", e);
        }
        Map<String, TableStatistics> kept = new LinkedHashMap<>();
        for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
            TableName table = dialect.tableName(connection, entry.getKey());
            if (tables.contains(table)) {
                kept.put(entry.getKey(), withoutValues(entry.getValue(), masked.getOrDefault(table, Set.of())));
            }
        }
        return new StatisticsSnapshot(snapshot.engine(), snapshot.collectedAt(), kept);
    }

    private static TableStatistics withoutValues(TableStatistics table, Set<String> masked) {
        Map<String, ColumnStatistics> columns = new LinkedHashMap<>();
        table.columns().forEach((name, column) -> columns.put(name, !masked.contains(name) ? column
                : new ColumnStatistics(column.nullFraction(), column.distinct(), column.averageWidth(), null, null, null,
                column.correlation(), null)));
        return new TableStatistics(table.rows(), table.pages(), table.allVisiblePages(), table.bytes(), columns);
    }
}
