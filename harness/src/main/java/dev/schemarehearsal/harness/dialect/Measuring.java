package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What calibrating a production estimate needs of the engine: copies of a database on its server, the work a session
 * did (rows read and written), tables emptied or settled as production's old rows are, and the memory limits whose
 * crossing makes a statement slower per row.
 */
public interface Measuring {

    /**
     * Creates database {@code to} on the server as a copy of {@code from}: its schema, the migration tool's history and
     * rows. Engines that copy a database as a whole (PostgreSQL: {@code CREATE DATABASE … TEMPLATE}, which needs no
     * other session on {@code from}) copy every table's rows; the others copy the rows of the tables {@code withRows}
     * accepts, the rest are left empty.
     *
     * @param admin a session on another database of the server
     */
    void copyDatabase(Connection admin, String from, String to, Predicate<String> withRows) throws SQLException;

    /**
     * The database a session may connect to for copying another one where the shadow's own database can't serve (a
     * template can't be copied while a session is on it), or {@code null} where any database serves.
     */
    String maintenanceDatabase();

    /** Removes every row of the tables, foreign keys between them notwithstanding. */
    void emptyTables(Connection connection, List<TableName> tables) throws SQLException;

    /**
     * Makes the table's rows what production's long-settled rows are, where the engine keeps per-row state that a
     * first reader pays for (PostgreSQL: frozen, hinted and all-visible, by {@code VACUUM (FREEZE)}). Needs auto-commit.
     */
    void settle(Connection connection, TableName table) throws SQLException;

    /** The table's storage with its indexes, in bytes. */
    long tableBytes(Connection connection, TableName table) throws SQLException;

    /** The rows a session read and wrote so far, in its transaction where the engine counts per transaction. */
    Work work(Connection connection) throws SQLException;

    /**
     * Rows read and written.
     *
     * @param read           per table, where the engine tells
     * @param written        per table, where the engine tells
     * @param readElsewhere  rows read the engine doesn't attribute to a table (MySQL's and MariaDB's session counters)
     * @param writtenElsewhere rows written the engine doesn't attribute to a table
     */
    record Work(Map<String, Long> read, Map<String, Long> written, long readElsewhere, long writtenElsewhere) {
        public Work {
            read = Map.copyOf(read);
            written = Map.copyOf(written);
        }

        /** What was done between this reading and a later one. */
        public Work until(Work later) {
            return new Work(minus(later.read, read), minus(later.written, written), later.readElsewhere - readElsewhere,
                    later.writtenElsewhere - writtenElsewhere);
        }

        public long totalRead() {
            return readElsewhere + read.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalWritten() {
            return writtenElsewhere + written.values().stream().mapToLong(Long::longValue).sum();
        }

        private static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
            Map<String, Long> difference = new TreeMap<>();
            later.forEach((table, n) -> {
                long done = n - earlier.getOrDefault(table, 0L);
                if (done > 0) {
                    difference.put(table, done);
                }
            });
            return difference;
        }
    }

    /**
     * The server's memory limits for the work a statement does.
     *
     * @param sortSetting   the setting an index build's sort spills beyond, e.g. {@code maintenance_work_mem}
     * @param bufferSetting the buffer pool, e.g. {@code shared_buffers}
     */
    record Memory(String sortSetting, long sortBytes, String bufferSetting, long bufferBytes) { }

    Memory memory(Connection connection) throws SQLException;

    /** Whether {@link #work} tells which table each row read or written was in. */
    boolean countsPerTable();

    /**
     * The rows a DML statement's plan says it writes, where the plan tells (PostgreSQL: the rows its ModifyTable node
     * is fed); else {@code null}.
     */
    default Double plannedWrites(PlanNode plan) {
        return null;
    }

    /**
     * The share of a DML statement's time spent finding the rows it changes (the rest is spent changing them), from
     * running it once with the engine's timing of each plan node; {@code null} where the engine's plan doesn't tell
     * the two apart. The statement's effects stay in the caller's transaction for it to roll back.
     */
    default Double readShare(Connection connection, String sql) throws SQLException {
        return null;
    }

    /**
     * The existing tables a DML statement will read in full, from its plan, where the engine's counters don't say
     * which table a session scanned (MySQL, MariaDB); else empty. Runs in the migration's session before the
     * statement, and never fails its transaction.
     *
     * @param tables the tables that exist, by name: a plan's aliases resolve to them
     */
    default List<String> plannedFullScans(Connection connection, String sql, List<String> tables) {
        return List.of();
    }
}
