package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.dialect.TableSnapshot.ColumnState;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

final class PostgresDialect implements Dialect {
    /** COPY's error context: its line counts CSV records, the header included, whatever newlines they quote. */
    private static final Pattern COPY_CONTEXT = Pattern.compile("COPY [^\\n]*?, line (\\d+)(?:, column ([^:\\n]+))?");
    /** SQLSTATE of COPY input it cannot read: an unterminated quoted field, among others. */
    private static final String BAD_COPY_FILE_FORMAT = "22P04";
    /** A key in a constraint violation's detail, e.g. {@code Key (customer_id)=(99) is not present in table "c".} */
    private static final Pattern KEY_DETAIL = Pattern.compile("Key \\(([^,)]+)\\)=\\((.*)\\) (already exists|is not present)");

    /** A user table's name as reports show it: bare in the session's schema, else qualified. */
    static final String TABLE_NAME = "CASE WHEN n.nspname = current_schema() THEN c.relname "
            + "ELSE n.nspname || '.' || c.relname END";
    private static final String USER_TABLE = "c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' "
            + "AND n.nspname NOT LIKE 'pg\\_%'";
    // pg_stat_xact_user_tables counts what the current transaction did so far, before it commits.
    private static final String TABLES = "SELECT " + TABLE_NAME + ", c.oid, c.relfilenode, coalesce(s.seq_scan, 0), "
            + "(SELECT string_agg(a.attname || E'\\t' || a.attnum || E'\\t' || format_type(a.atttypid, a.atttypmod), "
            + "E'\\n') FROM pg_attribute a "
            + "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid WHERE " + USER_TABLE;
    private static final String GRANTED = "l.locktype = 'relation' AND $granted AND l.database = (SELECT oid "
            + "FROM pg_database WHERE datname = current_database()) AND l.pid = $pid";
    /**
     * The session's relation locks by table; an ACCESS EXCLUSIVE lock on one of a table's indexes (REINDEX) counts
     * for the table too, as every query planned on the table waits for it (an index being created is seen by nobody).
     * A relation its own open transaction dropped has no name in its catalog any more, but keeps its lock: it comes
     * by oid alone.
     */
    private static final String LOCKS = "SELECT l.relation, " + TABLE_NAME + ", l.mode FROM pg_locks l "
            + "LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
            + GRANTED + " UNION SELECT c.oid, " + TABLE_NAME + ", l.mode || ' on index ' || i.relname FROM pg_locks l "
            + "JOIN pg_index x ON x.indexrelid = l.relation JOIN pg_class i ON i.oid = l.relation "
            + "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE l.mode = 'AccessExclusiveLock' AND " + GRANTED
            // Not an index the session's own transaction is creating, which no other session can see yet.
            + " AND NOT EXISTS (SELECT 1 FROM pg_locks t WHERE t.locktype = 'transactionid' AND t.pid = $pid "
            + "AND t.transactionid = x.xmin)"
            // Nor one that says no more than the same lock on the table itself (a rewrite rebuilds every index).
            + " AND NOT EXISTS (SELECT 1 FROM pg_locks o WHERE o.relation = x.indrelid AND o.pid = $pid "
            + "AND o.mode = 'AccessExclusiveLock')";
    /** The modes that conflict with SELECT's ACCESS SHARE and with INSERT/UPDATE/DELETE's ROW EXCLUSIVE. */
    private static final Map<String, Set<Access>> BLOCKS = Map.of(
            "AccessExclusiveLock", Set.of(Access.READS, Access.WRITES),
            "ExclusiveLock", Set.of(Access.WRITES),
            "ShareRowExclusiveLock", Set.of(Access.WRITES),
            "ShareLock", Set.of(Access.WRITES));

    /** Built-in and common extension functions with effects beyond the query's result. */
    private static final Set<String> SIDE_EFFECTS = Set.of("set_config", "nextval", "setval", "pg_advisory_*",
            "pg_try_advisory_*", "pg_notify", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
            "pg_rotate_logfile*", "pg_switch_wal", "pg_switch_xlog", "pg_create_*", "pg_start_backup", "pg_stop_backup",
            "pg_backup_start", "pg_backup_stop", "pg_promote", "pg_wal_replay_*", "pg_xlog_replay_*",
            "pg_drop_replication_slot", "pg_copy_*", "pg_replication_slot_advance", "pg_replication_origin_*",
            "pg_logical_emit_message", "pg_logical_slot_get_*", "pg_stat_reset*", "pg_file_*",
            "pg_import_system_collations", "pg_log_backend_memory_contexts", "binary_upgrade_*", "lo_*", "lowrite",
            "dblink*", "query_to_xml*", "cursor_to_xml*", "pg_background_*", "http", "http_*");

    /**
     * Rows of (what, null) for the role and database, (privilege, object) for schemas, relations and sequences. The
     * CASEs keep each privilege function to the kinds of relation it accepts, whatever order the planner filters in.
     */
    private static final String WRITE_PRIVILEGES = """
            WITH spaces AS (
                SELECT oid, nspname, nspowner FROM pg_namespace
                 WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%'
                   AND nspname NOT LIKE 'pg\\_temp\\_%'),
            relations AS (
                SELECT c.oid, c.relkind, c.relowner, format('%I.%I', s.nspname, c.relname) AS name
                  FROM pg_class c JOIN spaces s ON s.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S'))
            SELECT 'superuser', NULL FROM pg_roles WHERE rolname = current_user AND rolsuper
            UNION ALL SELECT 'CREATEROLE (it can grant itself other roles)', NULL FROM pg_roles
             WHERE rolname = current_user AND rolcreaterole
            UNION ALL SELECT 'membership of ' || rolname, NULL FROM pg_roles
             WHERE rolname IN ('pg_write_server_files', 'pg_execute_server_program') AND pg_has_role(oid, 'USAGE')
            UNION ALL SELECT 'owner of the database ' || quote_ident(datname), NULL FROM pg_database
             WHERE datname = current_database() AND pg_has_role(datdba, 'USAGE')
            UNION ALL SELECT 'CREATE on the database ' || quote_ident(current_database()), NULL
             WHERE has_database_privilege(current_database(), 'CREATE')
            UNION ALL SELECT 'owner of schema', quote_ident(nspname) FROM spaces WHERE pg_has_role(nspowner, 'USAGE')
            UNION ALL SELECT 'CREATE on schema', quote_ident(nspname) FROM spaces WHERE has_schema_privilege(oid, 'CREATE')
            UNION ALL SELECT 'owner of', name FROM relations WHERE pg_has_role(relowner, 'USAGE')
            UNION ALL SELECT p || ' on', name FROM relations, unnest(ARRAY['INSERT', 'UPDATE']) p
             WHERE CASE WHEN relkind <> 'S' THEN has_any_column_privilege(oid, p) END
            UNION ALL SELECT p || ' on', name FROM relations, unnest(ARRAY['DELETE', 'TRUNCATE', 'TRIGGER']) p
             WHERE CASE WHEN relkind <> 'S' THEN has_table_privilege(oid, p) END
            UNION ALL SELECT 'USAGE or UPDATE (nextval, setval) on sequence', name FROM relations
             WHERE CASE WHEN relkind = 'S' THEN has_sequence_privilege(oid, 'USAGE, UPDATE') END
            ORDER BY 1, 2""";

    @Override
    public Measuring measuring() {
        return new PostgresMeasuring(this);
    }

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public AbstractJSqlParser.Dialect sqlDialect() {
        return AbstractJSqlParser.Dialect.POSTGRESQL;
    }

    @Override
    public Set<String> sideEffectFunctions() {
        return SIDE_EFFECTS;
    }

    /**
     * The parser reads quotes, dollar quotes and comments as PostgreSQL does with standard_conforming_strings on (the
     * source session sets it): nested comments included, and an {@code E'…'} string it reads no further than the
     * engine, so nothing is hidden from it.
     */
    @Override
    public String misreading(String text, boolean quoted) {
        return null;
    }

    @Override
    public List<String> urlSchemes() {
        return List.of("postgresql");
    }

    @Override
    public Properties sessionName(String application) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", application);
        return properties;
    }

    @Override
    public Properties sessionProperties(String application) {
        Properties properties = sessionName(application);
        // The engine parses CSV text into the column's type: strings are sent untyped.
        properties.setProperty("stringtype", "unspecified");
        properties.setProperty("reWriteBatchedInserts", "true");
        return properties;
    }

    @Override
    public String createHistoryTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (id bigserial PRIMARY KEY, recorded_at varchar(32) NOT NULL, "
                + "branch varchar(255), git_commit varchar(64), verdict varchar(16), format integer NOT NULL, "
                + "record text NOT NULL)";
    }

    /** The driver prepares a statement on the server from its fifth run (prepareThreshold); 0 never does. */
    @Override
    public void planEachStatement(Connection session) throws SQLException {
        session.unwrap(PGConnection.class).setPrepareThreshold(0);
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
                    tables.put(rs.getString(1), new TableState(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            columns(rs.getString(5))));
                }
            }
            return new TableSnapshot(tables, locks(statement, "pg_backend_pid()", "l.granted"));
        }
    }

    /** "name TAB attnum TAB type" lines. */
    private static Map<String, ColumnState> columns(String lines) {
        Map<String, ColumnState> columns = new HashMap<>();
        for (String line : lines == null ? new String[0] : lines.split("\n")) {
            String[] parts = line.split("\t", 3);
            columns.put(parts[0], new ColumnState(Integer.parseInt(parts[1]), parts[2]));
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
        String sql = "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type "
                + "|| CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END "
                + "|| coalesce(' DEFAULT ' || column_default, '') FROM information_schema.columns "
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
        // Awaited ones too: a statement queued behind the lock queue gate takes them next.
        try (Statement statement = observer.createStatement()) {
            return locks(statement, Long.toString(sessionId), "true");
        }
    }

    private static Set<HeldLock> locks(Statement statement, String pid, String granted) throws SQLException {
        Set<HeldLock> locks = new HashSet<>();
        try (ResultSet rs = statement.executeQuery(LOCKS.replace("$pid", pid).replace("$granted", granted))) {
            while (rs.next()) {
                locks.add(new HeldLock(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return locks;
    }

    /**
     * SHARE UPDATE EXCLUSIVE blocks neither reads nor writes but conflicts with itself and every stronger mode: a
     * statement that needs one of those queues until the gate opens, long enough to be seen.
     */
    @Override
    public boolean closeGate(Connection gate, Collection<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return false;
        }
        gate.setAutoCommit(false);
        try (Statement statement = gate.createStatement()) {
            // Autovacuum holds the same mode on a table it works on; it gives way to a lock that waits a second.
            statement.execute("SET LOCAL lock_timeout = '2s'");
            statement.execute("LOCK TABLE " + tables.stream().map(t -> Arrays.stream(t.split("\\."))
                    .map(this::quote).collect(Collectors.joining("."))).collect(Collectors.joining(", "))
                    + " IN SHARE UPDATE EXCLUSIVE MODE");
            return true;
        } catch (SQLException busy) {
            // Another session holds one of them for longer: no gate this time.
            gate.rollback();
            return false;
        }
    }

    @Override
    public boolean waitsForLock(Connection observer, long sessionId) throws SQLException {
        return number(observer, "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = " + sessionId).orElse(0) > 0;
    }

    @Override
    public Plan explain(Connection connection, String sql, boolean analyze) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery((analyze ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                     : "EXPLAIN (FORMAT JSON) ") + sql)) {
            rs.next();
            return PostgresPlans.parse(rs.getString(1));
        }
    }

    @Override
    public OptionalLong plannerRows(Connection connection, String relation) throws SQLException {
        try (PreparedStatement rows = connection.prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?) AND reltuples >= 0")) {
            rows.setString(1, quote(relation));
            try (ResultSet rs = rows.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public Set<Access> blocks(String lockMode) {
        // "AccessExclusiveLock on index t_pkey" blocks as the mode would on the table.
        return BLOCKS.getOrDefault(lockMode.split(" ", 2)[0], Set.of());
    }

    /**
     * The extended protocol: the engine refuses a Parse message holding more than one statement, which the simple
     * protocol (preferQueryMode=simple, or extendedForPrepared for plain statements) would run one after the other.
     */
    @Override
    public String sourceUrl(String url) {
        String mode = Dialect.urlProperty(url, "preferQueryMode");
        if (mode != null && !mode.equals("extended") && !mode.equals("extendedCacheEverything")) {
            throw new ConfigurationException("sourceUrl", "preferQueryMode=" + mode + " in the source's URL would let "
                    + "the driver send several statements in one message", "remove preferQueryMode from <sourceUrl>: "
                    + "schema:sample sends the source one statement per message, with the extended protocol");
        }
        return url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified&preferQueryMode=extended";
    }

    /**
     * The session's default turns read-only first, so a transaction begun after this one ends is read-only as well;
     * then this transaction: REPEATABLE READ gives every query the same snapshot, so the references the sample follows
     * resolve in it. standard_conforming_strings is on, as the SQL parser reads backslashes in strings.
     */
    @Override
    public void beginReadOnly(Connection connection, long statementTimeoutMs) throws SQLException {
        PreferQueryMode mode = connection.unwrap(PGConnection.class).getPreferQueryMode();
        if (mode != PreferQueryMode.EXTENDED && mode != PreferQueryMode.EXTENDED_CACHE_EVERYTHING) {
            throw new ConfigurationException("sourceUrl", "the source session sends statements with the simple protocol "
                    + "(preferQueryMode=" + mode.value() + "), which runs several statements given in one call",
                    "remove preferQueryMode from <sourceUrl> and from the driver's properties");
        }
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            statement.execute("SET standard_conforming_strings = on");
            connection.setAutoCommit(false);
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            statement.execute("SET LOCAL statement_timeout = " + statementTimeoutMs);
        }
    }

    /** Counted by the driver's own parser, with the session's reading of backslashes: what it would send. */
    @Override
    public boolean sentAsOneStatement(Connection connection, String sql) throws SQLException {
        boolean standardStrings = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        return Parser.parseJdbcSql(Parser.replaceProcessing(sql, true, standardStrings), standardStrings, true, true,
                false, false).size() == 1;
    }

    /**
     * A superuser can do anything, and so, through its role grants, can a role with CREATEROLE; otherwise the database
     * and schemas it may create in or owns, the roles that write server files or run programs, and by privilege the
     * relations of every schema it may write (column grants included) and the sequences it may advance.
     */
    @Override
    public List<String> writePrivileges(Connection connection) throws SQLException {
        List<String> held = new ArrayList<>();
        Map<String, List<String>> byPrivilege = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(WRITE_PRIVILEGES)) {
            while (rs.next()) {
                if (rs.getString(2) == null) {
                    held.add(rs.getString(1));
                } else {
                    byPrivilege.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        if (held.contains("superuser")) {
            return List.of("superuser");
        }
        byPrivilege.forEach((privilege, objects) -> held.add(privilege + " " + Dialect.someOf(objects)));
        return held;
    }

    /**
     * now() is the transaction's start, the same for every statement in it; a transaction id is assigned only when the
     * transaction writes.
     */
    @Override
    public String readOnlyState(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT 'transaction_read_only ' || current_setting('transaction_read_only') || ', transaction started "
                        + "' || now() || ', transaction id ' || coalesce(txid_current_if_assigned()::text, 'none') || ', "
                        + "standard_conforming_strings ' || current_setting('standard_conforming_strings')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** hashtextextended is the seeded hash PostgreSQL's hash partitioning uses: stable across servers and releases. */
    @Override
    public String sampleHash(List<String> columns, long seed) {
        return "(hashtextextended(concat_ws('|', " + String.join(", ", columns) + "), " + seed + ") & 4294967295)";
    }

    @Override
    public String statisticsScript() {
        return "stats-postgresql.sql";
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String rewriteAlternative(Rewrite kind, boolean online) {
        return switch (kind) {
            case TYPE_CHANGE -> "add a column of the new type, backfill it in batches while a trigger keeps new writes "
                    + "in step, switch readers and writers to it, then drop the old column";
            case STORED_GENERATED_COLUMN -> "on PostgreSQL 18 add it VIRTUAL (computed when read, nothing rewritten); "
                    + "before 18, add a plain nullable column, backfill it in batches and keep it current with a "
                    + "trigger, or compute the expression in the queries and index it with CREATE INDEX CONCURRENTLY";
            case VOLATILE_DEFAULT -> "add the column nullable without a default, backfill it in batches, then set the "
                    + "default for new rows (and NOT NULL through a validated CHECK constraint)";
            case SEQUENCE_COLUMN -> "add a nullable bigint column, give it a sequence default with ALTER COLUMN … SET "
                    + "DEFAULT nextval(…) (no rows change), backfill the existing rows in batches, then NOT NULL "
                    + "through a validated CHECK constraint";
            case SET_LOGGED -> "create the table LOGGED from the start; for an existing unlogged table, copy its rows in "
                    + "batches into a new logged table and swap the names in one short transaction";
            case SET_UNLOGGED -> "keep the table logged (an unlogged table is emptied after a crash and not replicated); "
                    + "if that is what is wanted, copy the rows in batches into a new unlogged table and swap the names";
            case REBUILD -> "rebuild the table online with pg_repack (or pg_squeeze), which takes ACCESS EXCLUSIVE only "
                    + "for the final swap; plain VACUUM makes the space reusable without blocking anyone";
            case TRUNCATE -> "delete the rows in batches while the table stays available, or truncate in a maintenance "
                    + "window";
            case OTHER -> "split the change so that no statement rewrites the table: build the new structure alongside, "
                    + "backfill it in batches, then switch over (expand, then contract)";
        };
    }

    @Override
    public String lockTimeoutAlternative() {
        return "SET lock_timeout = '2s' at the top of the migration, and retry on timeout";
    }

    @Override
    public String indexAlternative() {
        return "CREATE INDEX CONCURRENTLY, alone in a migration with executeInTransaction=false";
    }

    @Override
    public String notNullAlternative() {
        return "ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then "
                + "SET NOT NULL (PostgreSQL 12+ skips the scan)";
    }

    @Override
    public String constraintAlternative(boolean foreignKey) {
        return "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration";
    }

    @Override
    public String atomicityAlternative() {
        return "keep statements that run outside a transaction (CONCURRENTLY, VACUUM) one per migration with "
                + "executeInTransaction=false, and the rest in transactional migrations";
    }

    /** DDL is transactional: the view comes with the rename, so the old name never stops answering. */
    @Override
    public String renamedTableView() {
        return "in the same transaction (a view of one table is updatable, so the old name keeps reading and writing)";
    }

    @Override
    public String blockingLockAlternative() {
        return "split the change into smaller transactions, keep each to the statement that needs the lock, and set "
                + "lock_timeout";
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

    @Override
    public long bulkLoad(Connection connection, CsvSource source, InputStream data, RehearsalListener listener)
            throws SQLException, IOException, RowRejectedException {
        String sql = "COPY " + source.table().sql(this) + " ("
                + source.columns().stream().map(this::quote).collect(Collectors.joining(", "))
                + ") FROM STDIN WITH (FORMAT csv, HEADER true"
                + (source.nullMarker() == null ? "" : ", NULL " + literal(source.nullMarker())) + ")";
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try {
            // UTF-8 goes to the server byte for byte, like psql's \copy; other encodings are decoded here.
            if (source.encoding().equals(StandardCharsets.UTF_8) || source.encoding().equals(StandardCharsets.US_ASCII)) {
                return copy.copyIn(sql, data, 1 << 16);
            }
            return copy.copyIn(sql, new InputStreamReader(data, source.encoding()), 1 << 16);
        } catch (PSQLException e) {
            throw rejected(e);
        }
    }

    private static RowRejectedException rejected(PSQLException e) throws PSQLException {
        ServerErrorMessage server = e.getServerErrorMessage();
        if (server == null) {
            throw e;
        }
        String reason = server.getMessage();
        if (BAD_COPY_FILE_FORMAT.equals(server.getSQLState()) && reason.contains("unterminated CSV quoted field")) {
            return RowRejectedException.brokenQuoting(reason, e);
        }
        Matcher context = COPY_CONTEXT.matcher(String.valueOf(server.getWhere()));
        Matcher key = KEY_DETAIL.matcher(String.valueOf(server.getDetail()));
        boolean hasKey = key.find();
        if (hasKey) {
            reason += ": " + server.getDetail();
        }
        if (context.find()) {
            String column = context.group(2) != null ? context.group(2)
                    : server.getColumn() != null ? server.getColumn() : hasKey ? key.group(1) : null;
            return RowRejectedException.atLine(Long.parseLong(context.group(1)), column, reason, e);
        }
        if (hasKey) {
            // Foreign keys are checked once all rows are in: the key's value finds the row.
            return RowRejectedException.byValue(key.group(1), key.group(2), key.group(3).equals("already exists") ? 2 : 1,
                    reason, e);
        }
        return RowRejectedException.unlocated(reason, e);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void advanceSequences(Connection connection, TableName table) throws SQLException {
        List<String[]> sequences = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT attname, pg_get_serial_sequence(?, attname) "
                + "FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped")) {
            query.setString(1, table.sql(this));
            query.setString(2, table.sql(this));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        sequences.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
        }
        for (String[] sequence : sequences) {
            try (PreparedStatement setval = connection.prepareStatement("SELECT setval(?, max(" + quote(sequence[0])
                    + ")) FROM " + table.sql(this) + " HAVING max(" + quote(sequence[0]) + ") IS NOT NULL")) {
                setval.setString(1, sequence[1]);
                setval.executeQuery().close();
            }
        }
    }

    /**
     * VACUUM as well: the planner costs an index-only scan by the share of the table's pages its visibility map marks
     * all-visible ({@code relallvisible}), which only VACUUM sets. Production's tables are vacuumed by autovacuum; a
     * table just loaded has none marked, and would be read by a plain index scan or a bitmap scan instead. VACUUM
     * marks a page only once the commit of its rows is flushed to the WAL, which an asynchronous commit (the embedded
     * shadow's {@code synchronous_commit = off}) leaves for later: ANALYZE, committed synchronously, flushes every
     * commit before its own (a transaction that writes no WAL, such as {@code SELECT txid_current()}, would not).
     */
    @Override
    public void analyze(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = on");
            statement.execute("ANALYZE " + table.sql(this));
            statement.execute("RESET synchronous_commit");
            statement.execute("VACUUM " + table.sql(this));
        }
    }

    /**
     * Whether a scan may go parallel depends on the relation's real size in pages against
     * min_parallel_table_scan_size and min_parallel_index_scan_size: the sample is small, so both are scaled by the
     * sample's pages over production's. Set on the shadow database, so every later session plans with them.
     */
    @Override
    public Optional<String> scalePlanner(Connection connection, List<TableName> tables, long productionPages)
            throws SQLException {
        if (tables.isEmpty() || productionPages <= 0) {
            return Optional.empty();
        }
        long shadowPages;
        try (PreparedStatement pages = connection.prepareStatement("SELECT sum(relpages) FROM pg_class "
                + "WHERE oid = ANY (?::regclass[])")) {
            pages.setArray(1, connection.createArrayOf("text", tables.stream().map(t -> t.sql(this)).toArray()));
            try (ResultSet rs = pages.executeQuery()) {
                rs.next();
                shadowPages = rs.getLong(1);
            }
        }
        double ratio = Math.min(1, (double) shadowPages / productionPages);
        List<String> set = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String setting : List.of("min_parallel_table_scan_size", "min_parallel_index_scan_size")) {
                long pages;
                // In 8 kB pages, the unit pg_settings gives both in.
                try (ResultSet rs = statement.executeQuery("SELECT setting::bigint FROM pg_settings WHERE name = '"
                        + setting + "'")) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                long scaled = Math.round(pages * ratio);
                try {
                    statement.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET " + setting + " = %s', "
                            + "current_database(), " + scaled + "); END $$");
                } catch (SQLException e) {
                    // Only the database's owner may: plans then go parallel later than production's do.
                    return Optional.of("Planner thresholds not scaled (" + setting + "), the shadow's plans may go parallel less often than "
                            + "production's: " + e.getMessage().strip());
                }
                set.add(String.format(Locale.ROOT, "%s %,d → %,d pages", setting, pages, scaled));
            }
        }
        return Optional.of(String.format(Locale.ROOT, "Planner thresholds scaled: the sample has %,d pages, production %,d (ratio %.4f): %s",
                shadowPages, productionPages, ratio, String.join(", ", set)));
    }

    /** pg_total_relation_size: the table's heap, TOAST, free space and visibility maps, and indexes. */
    @Override
    public List<Storage> storage(Connection connection) throws SQLException {
        List<Storage> storage = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + TABLE_NAME + ", NULL, pg_total_relation_size(c.oid) "
                     + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLE
                     + " UNION ALL SELECT " + TABLE_NAME + ", i.relname, pg_relation_size(i.oid) FROM pg_index x "
                     + "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLE)) {
            while (rs.next()) {
                storage.add(new Storage(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return storage;
    }

    @Override
    public Optional<DatabaseTemplates> templates() {
        return Optional.of(new Templates());
    }

    private final class Templates implements DatabaseTemplates {
        /** SQLSTATE of a name that isn't there: {@code template database "x" does not exist}. */
        private static final String UNDEFINED_DATABASE = "3D000";
        /** SQLSTATE of {@code source database "x" is being accessed by other users}. */
        private static final String OBJECT_IN_USE = "55006";

        @Override
        public String copy(String name, String template) {
            return "CREATE DATABASE " + quote(name) + " TEMPLATE " + quote(template);
        }

        @Override
        public boolean missing(SQLException refusal) {
            return UNDEFINED_DATABASE.equals(refusal.getSQLState());
        }

        @Override
        public Optional<List<String>> inTheWay(Connection admin, String template, SQLException refusal)
                throws SQLException {
            if (!OBJECT_IN_USE.equals(refusal.getSQLState())) {
                return Optional.empty();
            }
            List<String> sessions = new ArrayList<>();
            try (PreparedStatement query = admin.prepareStatement("SELECT pid, usename, application_name, "
                    + "host(client_addr), state, to_char(backend_start, 'YYYY-MM-DD HH24:MI:SS') FROM pg_stat_activity "
                    + "WHERE datname = ? AND pid <> pg_backend_pid() ORDER BY backend_start")) {
                query.setString(1, template);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        sessions.add("pid " + rs.getInt(1) + " (user " + rs.getString(2)
                                + (rs.getString(3) == null || rs.getString(3).isEmpty() ? "" : ", application '" + rs.getString(3) + "'")
                                + (rs.getString(4) == null ? ", local" : ", from " + rs.getString(4))
                                + (rs.getString(5) == null ? "" : ", " + rs.getString(5))
                                + ", connected since " + rs.getString(6) + ")");
                    }
                }
            }
            return Optional.of(sessions);
        }

        @Override
        public List<String> databases(Connection admin) throws SQLException {
            List<String> names = new ArrayList<>();
            try (Statement statement = admin.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datallowconn "
                         + "AND datname NOT LIKE 'schema\\_rehearsal\\_%' ORDER BY datname")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    @Override
    public Optional<LockWaits> lockWaits() {
        return Optional.of(new Waits());
    }

    /**
     * pg_locks' awaited locks and pg_blocking_pids: the sessions holding a lock the waiter's conflicts with, or
     * queued ahead of it for one. A lock awaited on a transaction id (a row another transaction changed) names no
     * table.
     */
    private static final class Waits implements LockWaits {
        private static final String WAITING = "SELECT l.pid, CASE WHEN c.oid IS NULL THEN NULL ELSE " + TABLE_NAME
                + " END, pg_blocking_pids(l.pid) FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
                + "LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND l.pid = ANY (?)";

        @Override
        public long session(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public List<Wait> waiting(Connection observer, Collection<Long> sessions) throws SQLException {
            List<Wait> waits = new ArrayList<>();
            try (PreparedStatement query = observer.prepareStatement(WAITING)) {
                query.setArray(1, observer.createArrayOf("int4", sessions.stream().map(Long::intValue).toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Set<Long> blockers = new HashSet<>();
                        for (Object pid : (Object[]) rs.getArray(3).getArray()) {
                            blockers.add(((Number) pid).longValue());
                        }
                        waits.add(new Wait(rs.getLong(1), rs.getString(2), blockers));
                    }
                }
            }
            return waits;
        }
    }

    @Override
    public Optional<StoredResults> storedResults() {
        return Optional.of(new PostgresStoredResults());
    }

    @Override
    public Optional<PageStorage> storagePadding() {
        return Optional.of(new Pages());
    }

    private final class Pages implements PageStorage {
        @Override
        public long pages(Connection connection, TableName table) throws SQLException {
            try (PreparedStatement pages = connection.prepareStatement("SELECT pg_relation_size(?::regclass) / "
                    + "current_setting('block_size')::bigint")) {
                pages.setString(1, table.sql(PostgresDialect.this));
                try (ResultSet rs = pages.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /** A row takes its datum's size, rounded up to the 8-byte alignment, plus a 4-byte line pointer. */
        @Override
        public long rowsPerPage(Connection connection, TableName table) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT current_setting('block_size')::integer - 24, "
                         + "avg(pg_column_size(t.*)) FROM " + table.sql(PostgresDialect.this) + " t")) {
                rs.next();
                double rowBytes = Math.ceil(rs.getDouble(2) / 8) * 8 + 4;
                return Math.max(1, (long) (rs.getLong(1) / rowBytes));
            }
        }

        /** Only a superuser may set session_replication_role; others keep the checks, which only cost time. */
        @Override
        public void skipTriggers(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                if (rs.next() && rs.getBoolean(1)) {
                    statement.execute("SET LOCAL session_replication_role = replica");
                }
            }
        }

        /**
         * A btree index stores equal keys once, with a list of the rows (deduplication): the copies would shrink an
         * index on values all but unique in production to a fraction of production's. Turned off, inside the rolled
         * back transaction, for each index with a key column at least half of whose sampled values are distinct.
         */
        @Override
        public void storeCopiesUncompressed(Connection connection, TableName table) throws SQLException {
            List<String> indexes = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT i.indexrelid::regclass::text FROM pg_index i "
                    + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' "
                    + "AND i.indrelid = ?::regclass AND EXISTS (SELECT 1 FROM pg_attribute t JOIN pg_stats s "
                    + "ON s.schemaname = ? AND s.tablename = ? AND s.attname = t.attname WHERE t.attrelid = i.indrelid "
                    + "AND t.attnum = ANY (i.indkey[0:i.indnkeyatts - 1]) AND (s.n_distinct <= -0.5 "
                    + "OR s.n_distinct >= 0.5 * (SELECT reltuples FROM pg_class WHERE oid = i.indrelid)))")) {
                query.setString(1, table.sql(PostgresDialect.this));
                query.setString(2, table.schema());
                query.setString(3, table.name());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        indexes.add(rs.getString(1));
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String index : indexes) {
                    statement.execute("ALTER INDEX " + index + " SET (deduplicate_items = off)");
                }
            }
        }

        /** Index cleanup is forced on: its default may skip the indexes, which would keep the dead rows' entries. */
        @Override
        public void vacuum(Connection connection, TableName table, boolean keepEmptyPages) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM (INDEX_CLEANUP ON, TRUNCATE " + !keepEmptyPages + ") "
                        + table.sql(PostgresDialect.this));
            }
        }
    }

    @Override
    public String insertSelect(TableName table, List<String> columns, String select) {
        // Identity columns GENERATED ALWAYS refuse given values unless told.
        return Dialect.super.insertSelect(table, columns, "OVERRIDING SYSTEM VALUE " + select);
    }

    /**
     * The planner estimates a table's rows as reltuples / relpages × the table's actual pages. relpages is left at the
     * shadow's own size (ANALYZE just set it) and reltuples set to production's rows, so estimates come out at
     * production's row count; costs that count pages stay the shadow's. Autovacuum would analyze the tables again and
     * undo it, so it is turned off for them.
     */
    @Override
    public List<String> applyStatistics(Connection connection, TableName table, TableStatistics statistics)
            throws SQLException {
        List<String> notApplied = new ArrayList<>();
        String name = table.sql(this);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + name + " SET (autovacuum_enabled = false)");
        }
        List<Column> columns = columns(connection, table).orElse(List.of());
        if (connection.getMetaData().getDatabaseMajorVersion() >= 18) {
            restoreRelationStats(connection, table, statistics, notApplied);
            for (Map.Entry<String, ColumnStatistics> entry : statistics.columns().entrySet()) {
                Optional<String> column = column(columns, entry.getKey());
                if (column.isEmpty()) {
                    notApplied.add(name + "." + entry.getKey() + ": the shadow has no such column");
                } else {
                    restoreAttributeStats(connection, table, column.get(), entry.getValue(), notApplied);
                }
            }
            return notApplied;
        }
        String version = connection.getMetaData().getDatabaseProductVersion();
        try {
            updateCatalog(connection, table, statistics, columns, notApplied);
        } catch (SQLException e) {
            notApplied.add(name + ": PostgreSQL " + version + " has no pg_restore_relation_stats (18 and later), and "
                    + "writing the catalog failed: " + e.getMessage().strip() + "; row counts and column statistics not applied");
            return notApplied;
        }
        return notApplied;
    }

    private static Optional<String> column(List<Column> columns, String name) {
        return columns.stream().map(Column::name).filter(c -> c.equalsIgnoreCase(name)).findFirst();
    }

    /**
     * The table and its indexes: an index's row estimate follows the same density rule. A partial index holds the
     * sample's share of the rows its predicate admits, which it keeps at production's size. Where production's
     * visibility map is known, the table's all-visible pages are its share of the shadow's pages.
     */
    private void restoreRelationStats(Connection connection, TableName table, TableStatistics statistics,
                                      List<String> notApplied) throws SQLException {
        try (PreparedStatement restore = connection.prepareStatement("SELECT c.relname, pg_restore_relation_stats("
                + "'schemaname', n.nspname::text, 'relname', c.relname::text, 'reltuples', " + RELTUPLES + "::real, "
                + "'relallvisible', " + RELALLVISIBLE + "::integer) " + TABLE_AND_INDEXES)) {
            relationArguments(connection, restore, table, statistics);
            collect(restore, table.sql(this), notApplied);
        }
    }

    // The table's and its indexes' rows, for the statements above and in updateCatalog: production's rows for the table
    // and its whole indexes, a partial index's own rows times production's rows over the shadow's (parameters 1 and 2);
    // the table's all-visible pages: production's share of the shadow's pages, when known (3 and 4); the table (5, 6).
    private static final String RELTUPLES = "CASE WHEN x.indpred IS NULL THEN ?::float8 ELSE c.reltuples * ?::float8 END";
    private static final String RELALLVISIBLE = "CASE WHEN x.indexrelid IS NULL AND ?::float8 IS NOT NULL "
            + "THEN round(c.relpages * ?::float8) ELSE c.relallvisible END";
    private static final String TABLE_AND_INDEXES = "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_index x ON x.indexrelid = c.oid WHERE (c.oid = ?::regclass OR x.indrelid = ?::regclass)";

    private void relationArguments(Connection connection, PreparedStatement statement, TableName table,
                                   TableStatistics statistics) throws SQLException {
        double shadowRows;
        try (PreparedStatement query = connection.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = ?::regclass")) {
            query.setString(1, table.sql(this));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                shadowRows = rs.getDouble(1);
            }
        }
        Long pages = statistics.pages();
        Long visible = statistics.allVisiblePages();
        Double visibleShare = pages == null || visible == null || pages == 0 ? null : Math.min(1, (double) visible / pages);
        statement.setDouble(1, statistics.rows());
        // A partial index of an empty sample keeps its (empty) count.
        statement.setDouble(2, shadowRows > 0 ? statistics.rows() / shadowRows : 1);
        statement.setObject(3, visibleShare, Types.DOUBLE);
        statement.setObject(4, visibleShare, Types.DOUBLE);
        statement.setString(5, table.sql(this));
        statement.setString(6, table.sql(this));
    }

    /**
     * A restore changes only the statistics it is given: where production's give a distribution, the sample's are
     * cleared first, so that no most common values of the sample's are left beside production's histogram.
     */
    private void restoreAttributeStats(Connection connection, TableName table, String column, ColumnStatistics stats,
                                       List<String> notApplied) throws SQLException {
        if (stats.mostCommonValues() != null || stats.histogramBounds() != null) {
            try (PreparedStatement clear = connection.prepareStatement(
                    "SELECT pg_clear_attribute_stats(?::text, ?::text, ?::text, false)")) {
                clear.setString(1, table.schema());
                clear.setString(2, table.name());
                clear.setString(3, column);
                clear.executeQuery().close();
            }
        }
        StringBuilder call = new StringBuilder("SELECT 'x', pg_restore_attribute_stats('schemaname', ?::text, "
                + "'relname', ?::text, 'attname', ?::text, 'inherited', false");
        List<Object> values = new ArrayList<>(List.of(table.schema(), table.name(), column));
        argument(call, values, "null_frac", "?::real", stats.nullFraction());
        argument(call, values, "avg_width", "?::integer", stats.averageWidth());
        argument(call, values, "n_distinct", "?::real", stats.distinct());
        argument(call, values, "correlation", "?::real", stats.correlation());
        if (stats.mostCommonValues() != null && stats.mostCommonFrequencies() != null) {
            argument(call, values, "most_common_vals", "?::text[]::text",
                    connection.createArrayOf("text", stats.mostCommonValues().toArray()));
            argument(call, values, "most_common_freqs", "?::real[]",
                    connection.createArrayOf("float8", stats.mostCommonFrequencies().toArray()));
        }
        if (stats.histogramBounds() != null) {
            argument(call, values, "histogram_bounds", "?::text[]::text",
                    connection.createArrayOf("text", stats.histogramBounds().toArray()));
        }
        try (PreparedStatement restore = connection.prepareStatement(call.append(")").toString())) {
            for (int i = 0; i < values.size(); i++) {
                restore.setObject(i + 1, values.get(i));
            }
            collect(restore, table.sql(this) + "." + quote(column), notApplied);
        }
    }

    private static void argument(StringBuilder call, List<Object> values, String name, String placeholder, Object value) {
        if (value != null) {
            call.append(", '").append(name).append("', ").append(placeholder);
            values.add(value);
        }
    }

    /** pg_restore_*_stats refuse what they cannot take with a WARNING and false, never an error. */
    private static void collect(PreparedStatement restore, String what, List<String> notApplied) throws SQLException {
        try (ResultSet rs = restore.executeQuery()) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    notApplied.add(what + ": not all statistics were accepted");
                }
            }
        }
        for (SQLWarning warning = restore.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            notApplied.add(what + ": " + warning.getMessage());
        }
    }

    /** Before PostgreSQL 18 a superuser may still write the statistics into the catalog. */
    private void updateCatalog(Connection connection, TableName table, TableStatistics statistics, List<Column> columns,
                               List<String> notApplied) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE pg_class u SET reltuples = " + RELTUPLES
                + ", relallvisible = " + RELALLVISIBLE + " " + TABLE_AND_INDEXES + " AND u.oid = c.oid")) {
            relationArguments(connection, update, table, statistics);
            update.executeUpdate();
        }
        for (Map.Entry<String, ColumnStatistics> entry : statistics.columns().entrySet()) {
            ColumnStatistics stats = entry.getValue();
            Optional<String> column = column(columns, entry.getKey());
            if (column.isEmpty()) {
                notApplied.add(table.sql(this) + "." + entry.getKey() + ": the shadow has no such column");
                continue;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE pg_statistic SET "
                    + "stanullfrac = coalesce(?::real, stanullfrac), stawidth = coalesce(?::integer, stawidth), "
                    + "stadistinct = coalesce(?::real, stadistinct) WHERE starelid = ?::regclass AND NOT stainherit "
                    + "AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?)")) {
                update.setObject(1, stats.nullFraction());
                update.setObject(2, stats.averageWidth());
                update.setObject(3, stats.distinct());
                update.setString(4, table.sql(this));
                update.setString(5, table.sql(this));
                update.setString(6, column.get());
                if (update.executeUpdate() == 0) {
                    notApplied.add(table.sql(this) + "." + quote(column.get())
                            + ": ANALYZE left no statistics row to update (no non-null value in the sample)");
                    continue;
                }
            }
            if (stats.mostCommonValues() != null || stats.histogramBounds() != null || stats.correlation() != null) {
                writeDistribution(connection, table, column.get(), stats, notApplied);
            }
        }
    }

    private static final int MOST_COMMON_VALUES = 1;
    private static final int HISTOGRAM = 2;
    private static final int CORRELATION = 3;
    private static final int SLOTS = 5;

    /** A slot of pg_statistic: production's statistic, or the sample's slot {@code kept} (1 to 5) where 0. */
    private record Slot(int kind, long operator, Object numbers, List<String> values, int kept) { }

    /**
     * Production's most common values, histogram and correlation, written into pg_statistic's slots as ANALYZE writes
     * them: the values typed as the column's (array_in, the one expression of type anyarray), with the comparison
     * operators ANALYZE chose for the sample's slots. Where production gives values, the sample's most common values,
     * histogram and correlation all go, as on PostgreSQL 18, so that none of the sample's stay beside production's;
     * slots of other kinds (an array's element statistics) stay the sample's.
     */
    private void writeDistribution(Connection connection, TableName table, String column, ColumnStatistics stats,
                                   List<String> notApplied) throws SQLException {
        String what = table.sql(this) + "." + quote(column);
        int attnum;
        long type;
        int typmod;
        long collation;
        int[] kinds = new int[SLOTS];
        long[] operators = new long[SLOTS];
        try (PreparedStatement query = connection.prepareStatement("SELECT a.attnum, a.atttypid, a.atttypmod, "
                + "a.attcollation, s.stakind1, s.stakind2, s.stakind3, s.stakind4, s.stakind5, s.staop1, s.staop2, "
                + "s.staop3, s.staop4, s.staop5 FROM pg_statistic s JOIN pg_attribute a ON a.attrelid = s.starelid "
                + "AND a.attnum = s.staattnum WHERE s.starelid = ?::regclass AND NOT s.stainherit AND a.attname = ?")) {
            query.setString(1, table.sql(this));
            query.setString(2, column);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                attnum = rs.getInt(1);
                type = rs.getLong(2);
                typmod = rs.getInt(3);
                collation = rs.getLong(4);
                for (int i = 0; i < SLOTS; i++) {
                    kinds[i] = rs.getInt(5 + i);
                    operators[i] = rs.getLong(10 + i);
                }
            }
        }
        long equals = 0;
        long less = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (kinds[i] == MOST_COMMON_VALUES) {
                equals = operators[i];
            } else if ((kinds[i] == HISTOGRAM || kinds[i] == CORRELATION) && less == 0) {
                less = operators[i];
            }
        }
        // ANALYZE leaves out a slot the sample gave no data for: its operator is the other's partner in their family.
        equals = equals != 0 ? equals : partner(connection, less, 3);
        less = less != 0 ? less : partner(connection, equals, 1);
        boolean values = stats.mostCommonValues() != null || stats.histogramBounds() != null;
        List<Slot> slots = new ArrayList<>();
        if (stats.mostCommonValues() != null && equals != 0) {
            slots.add(new Slot(MOST_COMMON_VALUES, equals,
                    connection.createArrayOf("float8", stats.mostCommonFrequencies().toArray()), stats.mostCommonValues(), 0));
        }
        if (stats.histogramBounds() != null && less != 0) {
            slots.add(new Slot(HISTOGRAM, less, null, stats.histogramBounds(), 0));
        }
        if (stats.correlation() != null && less != 0) {
            slots.add(new Slot(CORRELATION, less, connection.createArrayOf("float8", new Object[] {stats.correlation()}),
                    null, 0));
        }
        if (values && (equals == 0 || less == 0)) {
            notApplied.add(what + ": the type has no ordering the planner knows (no btree operator class): most common "
                    + "values, histogram and correlation not applied, the sample's own are used");
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            boolean replaced = values ? kinds[i] <= CORRELATION : kinds[i] == CORRELATION && stats.correlation() != null;
            if (kinds[i] != 0 && !replaced && slots.size() < SLOTS) {
                slots.add(new Slot(kinds[i], operators[i], null, null, i + 1));
            }
        }
        StringBuilder sql = new StringBuilder("UPDATE pg_statistic SET ");
        List<Object> parameters = new ArrayList<>();
        for (int i = 1; i <= SLOTS; i++) {
            Slot slot = i <= slots.size() ? slots.get(i - 1) : null;
            if (i > 1) {
                sql.append(", ");
            }
            if (slot != null && slot.kept() > 0) {
                int j = slot.kept();
                sql.append(String.format(Locale.ROOT, "stakind%d = stakind%d, staop%d = staop%d, stacoll%d = stacoll%d, "
                        + "stanumbers%d = stanumbers%d, stavalues%d = stavalues%d", i, j, i, j, i, j, i, j, i, j));
            } else if (slot != null) {
                sql.append(String.format(Locale.ROOT, "stakind%d = %d, staop%d = %d, stacoll%d = %d, stanumbers%d = ",
                        i, slot.kind(), i, slot.operator(), i, collation, i));
                if (slot.numbers() != null) {
                    sql.append("?::real[]");
                    parameters.add(slot.numbers());
                } else {
                    sql.append("NULL");
                }
                sql.append(", stavalues").append(i).append(" = ");
                if (slot.values() != null) {
                    sql.append(String.format(Locale.ROOT, "array_in(?::text[]::text::cstring, %d, %d)", type, typmod));
                    parameters.add(connection.createArrayOf("text", slot.values().toArray()));
                } else {
                    sql.append("NULL");
                }
            } else {
                sql.append(String.format(Locale.ROOT, "stakind%d = 0, staop%d = 0, stacoll%d = 0, stanumbers%d = NULL, "
                        + "stavalues%d = NULL", i, i, i, i, i));
            }
        }
        sql.append(" WHERE starelid = ?::regclass AND staattnum = ? AND NOT stainherit");
        parameters.add(table.sql(this));
        parameters.add(attnum);
        try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                update.setObject(i + 1, parameters.get(i));
            }
            update.executeUpdate();
        } catch (SQLException e) {
            // A value production's column held that the shadow's column doesn't take (its type changed since).
            notApplied.add(what + ": production's most common values or histogram were refused: "
                    + e.getMessage().strip() + "; the sample's own are used");
        }
    }

    /** The btree operator of the given strategy (1 less, 3 equal) in the family of the given one, or 0. */
    private static long partner(Connection connection, long operator, int strategy) throws SQLException {
        if (operator == 0) {
            return 0;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT o.amopopr FROM pg_amop k JOIN pg_amop o "
                + "ON o.amopfamily = k.amopfamily AND o.amoplefttype = k.amoplefttype AND o.amoprighttype = k.amoprighttype "
                + "WHERE k.amopopr = ? AND k.amopmethod = (SELECT oid FROM pg_am WHERE amname = 'btree') "
                + "AND o.amopstrategy = ? ORDER BY o.amopfamily LIMIT 1")) {
            query.setLong(1, operator);
            query.setInt(2, strategy);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
