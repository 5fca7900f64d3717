package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * PostgreSQL: a database copied as files from a template; the work a transaction did from
 * {@code pg_stat_xact_user_tables}, which counts it before it commits (its sequential scans' rows, its index scans'
 * entries, its inserted, updated and deleted rows).
 */
final class PostgresMeasuring implements Measuring {
    /** SQLSTATE of {@code CREATE DATABASE … TEMPLATE} while another session is on the template. */
    private static final String OBJECT_IN_USE = "55006";
    private static final String WORK = "SELECT " + PostgresDialect.TABLE_NAME + ", t.seq_tup_read + coalesce((SELECT "
            + "sum(pg_stat_get_xact_tuples_returned(x.indexrelid)) FROM pg_index x WHERE x.indrelid = t.relid), 0), "
            + "t.n_tup_ins + t.n_tup_upd + t.n_tup_del FROM pg_stat_xact_user_tables t "
            + "JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace";

    private final PostgresDialect dialect;

    PostgresMeasuring(PostgresDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * A file copy (no WAL to write for it) where the server has the choice (15 and later). A session that just closed
     * may still be leaving the template for a moment: the copy is tried again for a few seconds.
     */
    @Override
    public void copyDatabase(Connection admin, String from, String to, Predicate<String> withRows) throws SQLException {
        String sql = "CREATE DATABASE " + dialect.quote(to) + " TEMPLATE " + dialect.quote(from)
                + (admin.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (Statement statement = admin.createStatement()) {
            while (true) {
                try {
                    statement.execute(sql);
                    return;
                } catch (SQLException e) {
                    if (!OBJECT_IN_USE.equals(e.getSQLState()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    sleep();
                }
            }
        }
    }

    private static void sleep() throws SQLException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to copy a database", e);
        }
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public void emptyTables(Connection connection, List<TableName> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + tables.stream().map(t -> t.sql(dialect)).collect(Collectors.joining(", "))
                    + " CASCADE");
        }
    }

    @Override
    public void settle(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (FREEZE) " + table.sql(dialect));
        }
    }

    @Override
    public long tableBytes(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement size = connection.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
            size.setString(1, table.sql(dialect));
            try (ResultSet rs = size.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Work work(Connection connection) throws SQLException {
        Map<String, Long> read = new HashMap<>();
        Map<String, Long> written = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(WORK)) {
            while (rs.next()) {
                read.put(rs.getString(1), rs.getLong(2));
                written.put(rs.getString(1), rs.getLong(3));
            }
        }
        return new Work(read, written, 0, 0);
    }

    @Override
    public boolean countsPerTable() {
        return true;
    }

    @Override
    public Double plannedWrites(PlanNode plan) {
        return plan.nodeType().equals("ModifyTable") && !plan.children().isEmpty()
                ? plan.children().get(0).estimatedRows() : null;
    }

    /** The ModifyTable node's input's time over the whole execution's, which includes triggers and foreign keys. */
    @Override
    public Double readShare(Connection connection, String sql) throws SQLException {
        Plan analyzed = dialect.explain(connection, sql, true);
        PlanNode root = analyzed.plan();
        if (!root.nodeType().equals("ModifyTable") || root.children().isEmpty()
                || root.children().get(0).actualMs() == null || root.actualMs() == null) {
            return null;
        }
        double total = Math.max(root.actualMs(), analyzed.executionMs() == null ? 0 : analyzed.executionMs());
        return total <= 0 ? null : Math.min(1, root.children().get(0).actualMs() / total);
    }

    @Override
    public Memory memory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_size_bytes(current_setting('maintenance_work_mem')), "
                     + "pg_size_bytes(current_setting('shared_buffers'))")) {
            rs.next();
            return new Memory("maintenance_work_mem", rs.getLong(1), "shared_buffers", rs.getLong(2));
        }
    }
}
