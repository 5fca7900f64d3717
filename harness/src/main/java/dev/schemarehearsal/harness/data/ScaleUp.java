package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.api.RehearsalResult.TableScale;
import dev.schemarehearsal.harness.api.Scale;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.ForeignKey;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Grows loaded tables on the server from their own sample: copy {@code k} of every sample row is inserted with
 * INSERT … SELECT, its unique numbers offset by {@code k × (max − min + 1)} and its unique texts suffixed
 * {@code ~k}, so they stay unique. A foreign key points into a complete copy of its parent ({@code k} modulo the
 * parent's complete copies), given the same offset or suffix as the parent's key, so it still resolves.
 */
public final class ScaleUp {
    private static final String SAMPLE = "schema_rehearsal_sample";
    private static final String COPIES = "schema_rehearsal_copies";
    private static final String FIX = "scale tables whose unique columns are numbers or text, e.g. "
            + "<scale>orders=400000</scale>, or leave <scale> unset";

    private final Dialect dialect;
    private final RehearsalListener listener;
    /** Per grown table: how each unique column is rewritten for copy {@code k}, and how many complete copies exist. */
    private final Map<TableName, Grown> grown = new HashMap<>();

    public ScaleUp(Dialect dialect, RehearsalListener listener) {
        this.dialect = dialect;
        this.listener = listener;
    }

    private record Grown(long completeCopies, Map<String, KeyTransform> keys) { }

    /** Rewrites a key value (an SQL expression) for copy {@code k} (an SQL expression). */
    @FunctionalInterface
    private interface KeyTransform {
        String apply(String value, String k);
    }

    /** Grows the loaded tables, parents first, as far as the scale asks. */
    List<TableScale> scale(Connection connection, List<CsvLoader.Loaded> loaded, Scale scale) throws SQLException {
        return scale(connection, loaded, targets(connection, loaded, scale));
    }

    /** Grows the tables, parents first, to their target row counts; {@code loaded} gives their rows now. */
    List<TableScale> scale(Connection connection, List<CsvLoader.Loaded> loaded, Map<TableName, Long> targets)
            throws SQLException {
        List<TableScale> scaled = new ArrayList<>();
        for (CsvLoader.Loaded table : loaded) {
            Long target = targets.get(table.table());
            long rows = table.load().rows();
            if (target == null || target <= rows) {
                continue;
            }
            if (rows == 0) {
                throw new ConfigurationException("scale", table.load().file() + " has no rows to scale "
                        + table.table().name() + " up from", "add sample rows, or leave the table out of <scale>");
            }
            long start = System.nanoTime();
            grow(connection, table.table(), rows, target);
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            listener.info(String.format("Scaled %s up from %,d to %,d rows in %s", table.table().name(), rows, target,
                    human(durationMs)));
            scaled.add(new TableScale(table.table().name(), rows, target, durationMs));
        }
        return scaled;
    }

    /**
     * Grows tables that hold rows already (a copy of the loaded sample) to their target row counts, parents first.
     *
     * @param targets rows wanted per table; tables already as large are left as they are
     */
    public List<TableScale> scale(Connection connection, Map<TableName, Long> targets) throws SQLException {
        List<CsvLoader.Loaded> tables = new ArrayList<>();
        for (TableName table : CsvLoader.parentsFirst(dialect, connection, List.copyOf(targets.keySet()))) {
            long rows;
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.sql(dialect))) {
                rs.next();
                rows = rs.getLong(1);
            }
            tables.add(new CsvLoader.Loaded(table, new TableLoad(table.name(), table.name(), rows, 0)));
        }
        return scale(connection, tables, targets);
    }

    private Map<TableName, Long> targets(Connection connection, List<CsvLoader.Loaded> loaded, Scale scale)
            throws SQLException {
        Map<TableName, Long> targets = new LinkedHashMap<>();
        if (scale.factor() != null) {
            loaded.forEach(t -> targets.put(t.table(), Math.round(t.load().rows() * scale.factor())));
            return targets;
        }
        Set<TableName> tables = loaded.stream().map(CsvLoader.Loaded::table).collect(Collectors.toSet());
        for (Map.Entry<String, Long> target : scale.targets().entrySet()) {
            TableName table = dialect.tableName(connection, target.getKey());
            if (!tables.contains(table)) {
                throw new ConfigurationException("scale", "<scale> names " + target.getKey()
                        + ", which has no CSV file in the data directory to scale up from",
                        "add " + target.getKey() + ".csv to <dataDirectory>, or remove it from <scale>");
            }
            targets.put(table, target.getValue());
        }
        return targets;
    }

    private void grow(Connection connection, TableName table, long rows, long target) throws SQLException {
        long extra = target - rows;
        long full = extra / rows;
        long partial = extra % rows;
        Set<String> unique = new HashSet<>();
        dialect.uniqueKeys(connection, table).values().forEach(unique::addAll);
        Map<String, ForeignKey> foreign = new HashMap<>();
        dialect.foreignKeys(connection, table).forEach(k -> foreign.put(k.column(), k));
        List<Column> columns = dialect.columns(connection, table).orElseThrow().stream().filter(c -> !c.generated()).toList();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE " + SAMPLE + " AS SELECT * FROM " + table.sql(dialect));
            statement.execute("CREATE TEMPORARY TABLE " + COPIES + " (k BIGINT PRIMARY KEY)");
            try {
                Map<String, KeyTransform> keys = new HashMap<>();
                for (Column column : columns) {
                    if (unique.contains(column.name())) {
                        keys.put(column.name(), keyTransform(connection, table, column));
                    }
                }
                // Its own complete copies: a self-reference is set before this table's copies exist.
                grown.put(table, new Grown(1 + full, keys));
                List<String> select = new ArrayList<>();
                for (Column column : columns) {
                    select.add(expression(column.name(), foreign.get(column.name()), keys.get(column.name())));
                }
                String copies = String.join(", ", select);
                List<String> names = columns.stream().map(Column::name).toList();
                fillCopies(connection, Math.max(full, partial > 0 ? full + 1 : full));
                statement.executeUpdate(dialect.insertSelect(table, names, "SELECT " + copies + " FROM " + SAMPLE + " s "
                        + "CROSS JOIN " + COPIES + " c WHERE c.k <= " + full));
                if (partial > 0) {
                    statement.executeUpdate(dialect.insertSelect(table, names, "SELECT " + copies + " FROM " + SAMPLE
                            + " s CROSS JOIN " + COPIES + " c WHERE c.k = " + (full + 1) + " LIMIT " + partial));
                }
            } catch (SQLException | ConfigurationException e) {
                // Inside a transaction a failure aborts it, and its rollback drops the temporary tables.
                if (connection.getAutoCommit()) {
                    dropTemporaryTables(statement);
                }
                throw e instanceof ConfigurationException configuration ? configuration
                        : new ConfigurationException("scale", "scaling " + table.name() + " up to " + target
                        + " rows failed: " + e.getMessage().strip(), FIX, e);
            }
            dropTemporaryTables(statement);
        }
        dialect.advanceSequences(connection, table);
    }

    private static void dropTemporaryTables(Statement statement) throws SQLException {
        statement.execute("DROP TABLE " + SAMPLE);
        statement.execute("DROP TABLE " + COPIES);
    }

    /** How copy {@code k} (an SQL expression) rewrites a unique column of this table. */
    private KeyTransform keyTransform(Connection connection, TableName table, Column column) throws SQLException {
        return switch (column.kind()) {
            case NUMBER -> {
                BigDecimal span = span(connection, column);
                yield (value, k) -> "(" + value + " + (" + k + ") * " + span.toPlainString() + ")";
            }
            case TEXT -> (value, k) -> "CASE WHEN (" + k + ") = 0 THEN " + value + " ELSE concat(" + value + ", '~', " + k
                    + ") END";
            case OTHER -> throw new ConfigurationException("scale", "cannot scale " + table.name() + ": its unique column "
                    + column.name() + " is neither a number nor text, so copies of it cannot be kept unique", FIX);
        };
    }

    private BigDecimal span(Connection connection, Column column) throws SQLException {
        String name = dialect.quote(column.name());
        try (PreparedStatement query = connection.prepareStatement("SELECT min(" + name + "), max(" + name + ") FROM " + SAMPLE);
             ResultSet rs = query.executeQuery()) {
            rs.next();
            BigDecimal min = rs.getBigDecimal(1);
            BigDecimal max = rs.getBigDecimal(2);
            return min == null ? BigDecimal.ONE : max.subtract(min).add(BigDecimal.ONE);
        }
    }

    /** A column of copy {@code c.k}: a foreign key follows its parent's copy, a unique key its own transform. */
    private String expression(String column, ForeignKey key, KeyTransform own) {
        String value = "s." + dialect.quote(column);
        if (key != null) {
            // The reference must resolve even where that costs uniqueness; the engine then says which key clashed.
            Grown parent = grown.get(key.parent());
            KeyTransform parentKey = parent == null ? null : parent.keys().get(key.parentColumn());
            return parentKey == null ? value : parentKey.apply(value, "MOD(c.k, " + parent.completeCopies() + ")");
        }
        return own == null ? value : own.apply(value, "c.k");
    }

    private static void fillCopies(Connection connection, long copies) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + COPIES + " (k) VALUES (?)")) {
            for (long k = 1; k <= copies; k++) {
                insert.setLong(1, k);
                insert.addBatch();
                if (k % 10_000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
