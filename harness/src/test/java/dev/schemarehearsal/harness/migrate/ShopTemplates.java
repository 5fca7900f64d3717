package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link EstimateShop} at chosen sizes as template databases on one PostgreSQL server, and statements measured on
 * fresh copies of them ({@code CREATE DATABASE … TEMPLATE}, a file copy): each statement meets the table as the
 * template left it, frozen and analyzed, in the operating system's cache but not in shared buffers.
 */
final class ShopTemplates {
    private static final Dialect DIALECT = Dialect.of(Engine.POSTGRESQL);

    /**
     * Rows the current transaction read per table: its sequential scans' rows and its index scans' entries (there is
     * no transaction-level view of the indexes, only the function).
     */
    private static final String READ = "SELECT relname, read FROM (SELECT t.relname, t.seq_tup_read + coalesce((SELECT "
            + "sum(pg_stat_get_xact_tuples_returned(x.indexrelid)) FROM pg_index x WHERE x.indrelid = t.relid), 0) AS read "
            + "FROM pg_stat_xact_user_tables t) r WHERE read > 0";

    private final ShadowDatabase server;

    /**
     * One statement as run on a copy.
     *
     * @param ms        its duration
     * @param rows      rows it changed (DML), else 0
     * @param walBytes  WAL it wrote
     * @param tempBytes temporary files it wrote (sorts and hashes that did not fit in memory)
     * @param cpuMs     the time its server process spent on a CPU, which other work on the machine inflates far less
     *                  than the duration; -1 when the server's processes are not this machine's (a container)
     * @param read      rows it read per table: scanned, or fetched through an index
     */
    record Run(double ms, long rows, long walBytes, long tempBytes, double cpuMs, Map<String, Long> read) { }

    ShopTemplates(ShadowDatabase server) {
        this.server = server;
    }

    /** A JDBC URL of another database on the server. */
    String url(String database) {
        return server.endpoint().url().replaceFirst("//([^/]+)/[^?]*", "//$1/" + database);
    }

    Connection connect(String database) throws SQLException {
        return DIALECT.connect(url(database), server.endpoint().user(), server.endpoint().password(), "schema-rehearsal estimate");
    }

    /** Creates the database holding the shop at the fraction of its full size (0: the empty tables). */
    void create(String database, double fraction) throws SQLException {
        try (Connection admin = server.connect(Purpose.ADMIN); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        long start = System.nanoTime();
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : EstimateShop.tables(Engine.POSTGRESQL)) {
                statement.execute(sql);
            }
            for (String sql : EstimateShop.fill(Engine.POSTGRESQL, fraction)) {
                statement.execute(sql);
            }
            for (String sql : EstimateShop.constraints()) {
                statement.execute(sql);
            }
            // Frozen and hinted as production's old rows are, so that no copy pays for setting hint bits.
            statement.execute("VACUUM (FREEZE, ANALYZE)");
            System.out.printf(Locale.ROOT, "%s (%.0f %%): %s, generated in %,d ms%n", database, fraction * 100,
                    sizes(statement), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Runs the statement on a fresh copy of the template, which is dropped afterwards.
     *
     * @param serial without parallel workers, so that the server process's CPU time is all of the statement's work
     */
    Run measure(String template, String sql, boolean serial) throws SQLException {
        String copy = template + "_copy";
        try (Connection admin = server.connect(Purpose.ADMIN); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + copy + " TEMPLATE " + template + " STRATEGY FILE_COPY");
        }
        try (Connection connection = connect(copy); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
            if (serial) {
                statement.execute("SET max_parallel_maintenance_workers = 0");
                statement.execute("SET max_parallel_workers_per_gather = 0");
            }
            Path schedstat = Path.of("/proc", String.valueOf(number(statement, "SELECT pg_backend_pid()")), "schedstat");
            long cpuBefore = cpuNanos(schedstat);
            long walBefore = number(statement, "SELECT pg_current_wal_lsn() - '0/0'");
            // In a transaction of its own, whose statistics views show what it read.
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            long rows = statement.executeUpdate(sql);
            double ms = (System.nanoTime() - start) / 1e6;
            long cpu = cpuNanos(schedstat) - cpuBefore;
            Map<String, Long> read = new TreeMap<>();
            try (ResultSet rs = statement.executeQuery(READ)) {
                while (rs.next()) {
                    read.put(rs.getString(1), rs.getLong(2));
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            long wal = number(statement, "SELECT pg_current_wal_lsn() - '0/0'") - walBefore;
            // The session's statistics reach the shared ones at its next transaction's end once forced.
            statement.execute("SELECT pg_stat_force_next_flush()");
            statement.execute("SELECT pg_stat_clear_snapshot()");
            long temp = number(statement, "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()");
            return new Run(ms, rows, wal, temp, cpuBefore < 0 ? -1 : cpu / 1e6, read);
        } finally {
            try (Connection admin = server.connect(Purpose.ADMIN)) {
                DIALECT.dropDatabase(admin, copy);
            }
        }
    }

    /** Nanoseconds the process has run on a CPU, the first field of its schedstat; -1 when it is not this machine's. */
    private static long cpuNanos(Path schedstat) {
        try {
            return Long.parseLong(Files.readString(schedstat).split(" ")[0]);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Rows and pages of each shop table. */
    static String sizes(Statement statement) throws SQLException {
        List<String> sizes = new ArrayList<>();
        for (String table : EstimateShop.TABLES) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*), pg_relation_size('" + table + "') / 8192, "
                    + "pg_total_relation_size('" + table + "') >> 20 FROM " + table)) {
                rs.next();
                sizes.add(String.format(Locale.ROOT, "%s %,d rows %,d pages (%,d MB with indexes)", table,
                        rs.getLong(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return String.join(", ", sizes);
    }

    static long number(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
