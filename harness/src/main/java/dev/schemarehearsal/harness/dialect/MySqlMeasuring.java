package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB: a database copied definition by definition (tables, views, routines, triggers) with the rows of
 * the tables asked for; the work a session did from its handler counters, which count rows read and written but not
 * per table.
 */
final class MySqlMeasuring implements Measuring {
    private static final List<String> READS = List.of("Handler_read_first", "Handler_read_key", "Handler_read_last",
            "Handler_read_next", "Handler_read_prev", "Handler_read_rnd", "Handler_read_rnd_next");
    private static final List<String> WRITES = List.of("Handler_write", "Handler_update", "Handler_delete");
    /** Access types that read a whole table or index. */
    private static final Set<String> FULL = Set.of("ALL", "hash_ALL", "index", "hash_index");
    private static final Pattern DML = Pattern.compile("^(UPDATE|DELETE|INSERT|REPLACE)\\b", Pattern.CASE_INSENSITIVE);

    private final MySqlDialect dialect;

    MySqlMeasuring(MySqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The definitions are read while the session is in {@code from}, so that they name its objects without the
     * database, and created in {@code to} in an order that works: tables (foreign key checks off), their rows, views
     * (each after the views it reads), routines, then triggers, which the copied rows must not fire.
     */
    @Override
    public void copyDatabase(Connection admin, String from, String to, Predicate<String> withRows) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("USE " + dialect.quote(from));
            Map<String, String> tables = definitions(statement, "SELECT table_name FROM information_schema.tables WHERE "
                    + "table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1", "SHOW CREATE TABLE %s", 2);
            Map<String, String> views = definitions(statement, "SELECT table_name FROM information_schema.views WHERE "
                    + "table_schema = DATABASE() ORDER BY 1", "SHOW CREATE VIEW %s", 2);
            Map<String, String> routines = new LinkedHashMap<>();
            for (String type : List.of("PROCEDURE", "FUNCTION")) {
                routines.putAll(definitions(statement, "SELECT routine_name FROM information_schema.routines WHERE "
                        + "routine_schema = DATABASE() AND routine_type = '" + type + "' ORDER BY 1",
                        "SHOW CREATE " + type + " %s", 3));
            }
            Map<String, String> triggers = definitions(statement, "SELECT trigger_name FROM information_schema.triggers "
                    + "WHERE trigger_schema = DATABASE() ORDER BY 1", "SHOW CREATE TRIGGER %s", 3);
            Map<String, List<String>> columns = new LinkedHashMap<>();
            try (ResultSet rs = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                    + "WHERE table_schema = DATABASE() AND extra NOT IN ('VIRTUAL GENERATED', 'STORED GENERATED') "
                    + "ORDER BY table_name, ordinal_position")) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(dialect.quote(rs.getString(2)));
                }
            }
            statement.execute("CREATE DATABASE " + dialect.quote(to));
            statement.execute("USE " + dialect.quote(to));
            statement.execute("SET SESSION foreign_key_checks = 0");
            try {
                for (String definition : tables.values()) {
                    statement.execute(definition);
                }
                for (String table : tables.keySet()) {
                    if (withRows.test(table) && columns.containsKey(table)) {
                        String list = String.join(", ", columns.get(table));
                        statement.execute("INSERT INTO " + dialect.quote(table) + " (" + list + ") SELECT " + list
                                + " FROM " + dialect.quote(from) + "." + dialect.quote(table));
                    }
                }
                createInOrder(statement, new ArrayList<>(views.values()));
                for (String definition : routines.values()) {
                    statement.execute(definition);
                }
                for (String definition : triggers.values()) {
                    statement.execute(definition);
                }
            } finally {
                statement.execute("SET SESSION foreign_key_checks = 1");
            }
        }
    }

    /** Each object's definition by name, from the SHOW statement's column. */
    private Map<String, String> definitions(Statement statement, String names, String show, int column)
            throws SQLException {
        List<String> found = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(names)) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        Map<String, String> definitions = new LinkedHashMap<>();
        for (String name : found) {
            try (ResultSet rs = statement.executeQuery(String.format(show, dialect.quote(name)))) {
                if (rs.next()) {
                    definitions.put(name, rs.getString(column));
                }
            }
        }
        return definitions;
    }

    /** Views may read views: each round creates those whose views exist, until none is left or none can be. */
    private static void createInOrder(Statement statement, List<String> definitions) throws SQLException {
        List<String> left = definitions;
        while (!left.isEmpty()) {
            List<String> failed = new ArrayList<>();
            SQLException last = null;
            for (String definition : left) {
                try {
                    statement.execute(definition);
                } catch (SQLException e) {
                    failed.add(definition);
                    last = e;
                }
            }
            if (failed.size() == left.size()) {
                throw last;
            }
            left = failed;
        }
    }

    @Override
    public String maintenanceDatabase() {
        return null;
    }

    @Override
    public void emptyTables(Connection connection, List<TableName> tables) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION foreign_key_checks = 0");
            try {
                for (TableName table : tables) {
                    statement.execute("TRUNCATE TABLE " + table.sql(dialect));
                }
            } finally {
                statement.execute("SET SESSION foreign_key_checks = 1");
            }
        }
    }

    /** InnoDB keeps no per-row state a first reader pays for. */
    @Override
    public void settle(Connection connection, TableName table) {
    }

    @Override
    public long tableBytes(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement size = connection.prepareStatement("SELECT data_length + index_length FROM "
                + "information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            size.setString(1, table.catalog());
            size.setString(2, table.name());
            try (ResultSet rs = size.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** SHOW SESSION STATUS, unlike information_schema's view of it, doesn't count its own reading. */
    @Override
    public Work work(Connection connection) throws SQLException {
        long read = 0;
        long written = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ("
                     + String.join(", ", READS.stream().map(v -> "'" + v + "'").toList()) + ", "
                     + String.join(", ", WRITES.stream().map(v -> "'" + v + "'").toList()) + ")")) {
            while (rs.next()) {
                String name = rs.getString(1);
                long value = rs.getLong(2);
                if (READS.stream().anyMatch(name::equalsIgnoreCase)) {
                    read += value;
                } else {
                    written += value;
                }
            }
        }
        return new Work(Map.of(), Map.of(), read, written);
    }

    @Override
    public boolean countsPerTable() {
        return false;
    }

    @Override
    public Memory memory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@innodb_sort_buffer_size, @@innodb_buffer_pool_size")) {
            rs.next();
            return new Memory("innodb_sort_buffer_size", rs.getLong(1), "innodb_buffer_pool_size", rs.getLong(2));
        }
    }

    /**
     * The tables whose plan reads them whole (a full scan, or a full index scan, as MariaDB updates in key order),
     * by their names: the plan gives a table's alias where the statement has one, which is looked up in the text.
     */
    @Override
    public List<String> plannedFullScans(Connection connection, String sql, List<String> tables) {
        String text = SqlText.withoutLeadingComments(sql);
        if (!DML.matcher(text).find()) {
            return List.of();
        }
        List<String> scanned = new ArrayList<>();
        try {
            PlanNode plan = dialect.explain(connection, text, false).plan();
            for (PlanNode node : plan.flatten()) {
                if (node.relation() != null && node.joinType() != null && FULL.contains(node.joinType())) {
                    String table = table(node.relation(), text, tables);
                    if (table != null && !scanned.contains(table)) {
                        scanned.add(table);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            // No plan to read: the statement's own execution will say what is wrong with it.
            return List.of();
        }
        return scanned;
    }

    private static String table(String relation, String sql, List<String> tables) {
        if (tables.contains(relation)) {
            return relation;
        }
        Matcher aliased = Pattern.compile("[`\"]?(\\w+)[`\"]?\\s+(?:AS\\s+)?[`\"]?" + Pattern.quote(relation) + "[`\"]?(?!\\w)",
                Pattern.CASE_INSENSITIVE).matcher(sql);
        while (aliased.find()) {
            String candidate = aliased.group(1);
            for (String table : tables) {
                if (table.equalsIgnoreCase(candidate)) {
                    return table;
                }
            }
        }
        return null;
    }
}
