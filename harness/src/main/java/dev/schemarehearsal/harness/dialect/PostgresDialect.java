package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

final class PostgresDialect implements Dialect {
    /** A user table's name as reports show it: bare in the session's schema, else qualified. */
    private static final String TABLE_NAME = "CASE WHEN n.nspname = current_schema() THEN c.relname "
            + "ELSE n.nspname || '.' || c.relname END";
    private static final String USER_TABLE = "c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' "
            + "AND n.nspname NOT LIKE 'pg\\_%'";
    // pg_stat_xact_user_tables counts what the current transaction did so far, before it commits.
    private static final String TABLES = "SELECT " + TABLE_NAME + ", c.relfilenode, coalesce(s.seq_scan, 0), "
            + "(SELECT string_agg(a.attname || E'\\t' || format_type(a.atttypid, a.atttypmod), E'\\n') FROM pg_attribute a "
            + "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid WHERE " + USER_TABLE;
    private static final String LOCKS = "SELECT " + TABLE_NAME + ", l.mode FROM pg_locks l "
            + "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid FROM pg_database "
            + "WHERE datname = current_database()) AND l.pid = ";
    /** The modes that conflict with SELECT's ACCESS SHARE and with INSERT/UPDATE/DELETE's ROW EXCLUSIVE. */
    private static final Map<String, Set<Access>> BLOCKS = Map.of(
            "AccessExclusiveLock", Set.of(Access.READS, Access.WRITES),
            "ExclusiveLock", Set.of(Access.WRITES),
            "ShareRowExclusiveLock", Set.of(Access.WRITES),
            "ShareLock", Set.of(Access.WRITES));

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public List<String> urlSchemes() {
        return List.of("postgresql");
    }

    @Override
    public String connectionProperties() {
        // The engine parses CSV text into the column's type: strings are sent untyped.
        return "stringtype=unspecified&reWriteBatchedInserts=true&ApplicationName=schema-rehearsal";
    }

    @Override
    public void configure(FluentConfiguration flyway) {
        // Flyway's default lock is a transaction-scoped advisory lock held in an open transaction, which
        // CREATE INDEX CONCURRENTLY waits for forever: take the session-scoped lock instead.
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    }

    @Override
    public TableSnapshot snapshot(Connection connection) throws SQLException {
        Map<String, TableState> tables = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(TABLES)) {
                while (rs.next()) {
                    tables.put(rs.getString(1), new TableState(rs.getLong(2), rs.getLong(3), columns(rs.getString(4))));
                }
            }
            return new TableSnapshot(tables, locks(statement, "pg_backend_pid()"));
        }
    }

    /** "name TAB type" lines. */
    private static Map<String, String> columns(String lines) {
        Map<String, String> columns = new HashMap<>();
        for (String line : lines == null ? new String[0] : lines.split("\n")) {
            int tab = line.indexOf('\t');
            columns.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return columns;
    }

    @Override
    public boolean narrows(String fromType, String toType) {
        return TypeWidths.narrows(List.of("smallint", "integer", "bigint"), List.of("text", "character varying"),
                fromType, toType);
    }

    @Override
    public List<String> schemaObjects(Connection connection) throws SQLException {
        String schema = "current_schema()::regnamespace";
        String sql = "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns "
                + "WHERE table_schema = current_schema() "
                + "UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                + "UNION ALL SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = current_schema() "
                + "UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
                + "FROM pg_constraint WHERE connamespace = " + schema + " "
                + "UNION ALL SELECT 'routine ' || oid::regprocedure || ' ' || md5(pg_get_functiondef(oid)) FROM pg_proc "
                + "WHERE pronamespace = " + schema + " AND prokind IN ('f', 'p') "
                + "UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger t JOIN pg_class c "
                + "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = " + schema + " ORDER BY 1";
        List<String> objects = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                objects.add(rs.getString(1));
            }
        }
        return objects;
    }

    @Override
    public OptionalLong lockTimeoutMs(Connection connection) throws SQLException {
        return number(connection, "SELECT EXTRACT(epoch FROM current_setting('lock_timeout')::interval) * 1000");
    }

    @Override
    public OptionalLong sessionId(Connection connection) throws SQLException {
        return number(connection, "SELECT pg_backend_pid()");
    }

    private static OptionalLong number(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }

    @Override
    public Set<HeldLock> locksHeldBy(Connection observer, long sessionId) throws SQLException {
        try (Statement statement = observer.createStatement()) {
            return locks(statement, Long.toString(sessionId));
        }
    }

    private static Set<HeldLock> locks(Statement statement, String pid) throws SQLException {
        Set<HeldLock> locks = new HashSet<>();
        try (ResultSet rs = statement.executeQuery(LOCKS + pid)) {
            while (rs.next()) {
                locks.add(new HeldLock(rs.getString(1), rs.getString(2)));
            }
        }
        return locks;
    }

    @Override
    public Set<Access> blocks(String lockMode) {
        return BLOCKS.getOrDefault(lockMode, Set.of());
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void dropDatabase(Connection admin, String name) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            if (admin.getMetaData().getDatabaseMajorVersion() >= 13) {
                statement.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
                return;
            }
        }
        try (PreparedStatement terminate = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, name);
            terminate.executeQuery().close();
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
        }
    }

    @Override
    public List<String> databasesStartingWith(Connection admin, String prefix) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
            query.setString(1, prefix);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    @Override
    public TableName tableName(Connection connection, String qualifiedName) throws SQLException {
        int dot = qualifiedName.indexOf('.');
        // Unquoted identifiers fold to lower case in PostgreSQL.
        String schema = dot < 0 ? connection.getSchema() : qualifiedName.substring(0, dot).toLowerCase(Locale.ROOT);
        String table = (dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1)).toLowerCase(Locale.ROOT);
        return new TableName(null, schema, table);
    }
}
