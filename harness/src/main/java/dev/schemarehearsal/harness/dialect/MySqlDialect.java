package dev.schemarehearsal.harness.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.dialect.TableSnapshot.ColumnState;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** MySQL and MariaDB: one dialect, the engine decides the few differences. */
final class MySqlDialect implements Dialect {
    /** e.g. {@code Incorrect integer value: 'x' for column `db`.`t`.`n` at row 3}, {@code Data too long for column 'n' at row 3}. */
    private static final Pattern AT_ROW = Pattern.compile("(?i)column (\\S+) at row (\\d+)");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate entry '(.*)' for key '(?:.*\\.)?([^.']+)'");
    private static final Pattern FOREIGN_KEY = Pattern.compile("FOREIGN KEY \\(`([^`]+)`\\) REFERENCES `([^`]+)` \\(`([^`]+)`\\)");
    /** Parameters per multi-row INSERT stay below the protocol's limit of 65,535. */
    private static final int MAX_PARAMETERS = 60_000;

    /** Built-in functions with effects beyond the query's result, and the common shell-command UDFs. */
    private static final Set<String> SIDE_EFFECTS = Set.of("get_lock", "release_lock", "release_all_locks", "nextval",
            "setval", "sys_exec", "sys_eval");
    /** "--" followed by something other than a blank: two minus signs to the engine, a comment to the parser. */
    private static final Pattern NOT_A_COMMENT = Pattern.compile("--(?:[^\\s]|$)");

    /** Privileges that read, or change nothing stored: a user holding only these cannot write. */
    private static final Set<String> READ_ONLY_PRIVILEGES = Set.of("SELECT", "SHOW VIEW", "USAGE", "PROCESS",
            "SHOW DATABASES", "REPLICATION CLIENT", "BINLOG MONITOR", "SLAVE MONITOR", "REPLICA MONITOR", "LOCK TABLES",
            "CREATE TEMPORARY TABLES");
    /** {@code GRANT <privileges> ON <object> TO <user> …}; the line may go on with a password hash, never shown. */
    private static final Pattern GRANT_ON = Pattern.compile("GRANT (.+?) ON ((?:`[^`]*`|[^\\s`])+) TO .*",
            Pattern.DOTALL);
    /** {@code GRANT <roles> TO <user>}: roles granted, whose grants count too. */
    private static final Pattern GRANT_ROLE = Pattern.compile("GRANT (.+?) TO .*", Pattern.DOTALL);

    private final Engine engine;

    static {
        MariaDbErrorLog.silence();
    }

    MySqlDialect(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Measuring measuring() {
        return new MySqlMeasuring(this);
    }

    @Override
    public Engine engine() {
        return engine;
    }

    /** MariaDB says so in its version, e.g. {@code 10.11.6-MariaDB}, whichever driver connected. */
    @Override
    public Dialect onServer(Connection connection) throws SQLException {
        return Dialect.of(connection.getMetaData().getDatabaseProductVersion().contains("MariaDB") ? Engine.MARIADB
                : Engine.MYSQL);
    }

    @Override
    public List<String> urlSchemes() {
        return List.of("mysql", "mariadb");
    }

    @Override
    public AbstractJSqlParser.Dialect sqlDialect() {
        return engine == Engine.MARIADB ? AbstractJSqlParser.Dialect.MARIADB : AbstractJSqlParser.Dialect.MYSQL;
    }

    @Override
    public Set<String> sideEffectFunctions() {
        return SIDE_EFFECTS;
    }

    @Override
    public String misreading(String text, boolean quoted) {
        if (quoted) {
            // '\'' is one quote character, or a backslash and the string's end under sql_mode NO_BACKSLASH_ESCAPES.
            return text.indexOf('\\') < 0 ? null : "a backslash in " + text + ": the engine reads it as an escape "
                    + "or not depending on sql_mode (NO_BACKSLASH_ESCAPES); write the text without backslashes";
        }
        if (text.contains("/*!") || text.contains("/*M!")) {
            return "a /*! … */ comment: MySQL and MariaDB run its content as SQL; remove it";
        }
        Matcher dashes = NOT_A_COMMENT.matcher(text);
        if (dashes.find()) {
            return "'" + dashes.group() + "': MySQL and MariaDB read '--' as a comment only when a space follows it; "
                    + "write '-- ' or remove it";
        }
        return null;
    }

    @Override
    public String sourceUrl(String url) {
        String multiple = Dialect.urlProperty(url, "allowMultiQueries");
        if (multiple != null && !multiple.equalsIgnoreCase("false")) {
            throw new ConfigurationException("sourceUrl", "allowMultiQueries=" + multiple + " in the source's URL lets "
                    + "one call run several statements", "remove allowMultiQueries from <sourceUrl>: schema:sample sends "
                    + "the source one statement per call");
        }
        // Last given wins in both drivers. MariaDB's driver lets one call run several statements when it may rewrite
        // batches, allowMultiQueries=false or not; local files are the server reading the client's.
        return url + (url.contains("?") ? "&" : "?") + "allowMultiQueries=false&rewriteBatchedStatements=false"
                + "&allowLocalInfile=false&allowLoadLocalInfile=false&allowPublicKeyRetrieval=true";
    }

    @Override
    public Properties sessionName(String application) {
        Properties properties = new Properties();
        // Shown in performance_schema.session_connect_attrs.
        properties.setProperty("connectionAttributes", "program_name:" + application);
        return properties;
    }

    @Override
    public Properties sessionProperties(String application) {
        Properties properties = sessionName(application);
        properties.setProperty("rewriteBatchedStatements", "true");
        properties.setProperty("useSSL", "false");
        properties.setProperty("allowPublicKeyRetrieval", "true");
        // LOAD DATA LOCAL INFILE needs the driver's consent: allowLocalInfile (MariaDB's driver), allowLoadLocalInfile (MySQL's).
        properties.setProperty("allowLocalInfile", "true");
        properties.setProperty("allowLoadLocalInfile", "true");
        return properties;
    }

    /** InnoDB, and utf8mb4 whatever the server's default character set (MariaDB's is latin1). */
    @Override
    public String createHistoryTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (id bigint AUTO_INCREMENT PRIMARY KEY, "
                + "recorded_at varchar(32) NOT NULL, branch varchar(255), git_commit varchar(64), verdict varchar(16), "
                + "format int NOT NULL, record longtext NOT NULL) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4";
    }

    /**
     * InnoDB's table id and tablespace id of each table of the current database: an ALTER that rebuilds the table
     * (COPY, or INPLACE with a rebuild) gives it a new tablespace, a rename keeps both. No table locks or scan counters here: metadata locks need
     * performance_schema or the METADATA_LOCK_INFO plugin, and DDL commits implicitly; {@link #alterAlgorithm} tells
     * what an ALTER blocks and whether it reads the table.
     * <p>
     * InnoDB's own list holds its internal tables too (a FULLTEXT index's {@code FTS_…_INDEX_1}, {@code FTS_…_CONFIG},
     * which a table copy replaces) and names tables as files are named ({@code order@002ditems}, a partition as
     * {@code orders#P#p0}): only the tables information_schema lists count, under their own names, their files found
     * by the engine's own file-name encoding ({@code CONVERT(… USING filename)}).
     */
    @Override
    public TableSnapshot snapshot(Connection connection) throws SQLException {
        String view = engine == Engine.MARIADB ? "INNODB_SYS_TABLES" : "INNODB_TABLES";
        Map<String, Map<String, ColumnState>> columns = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT table_name, column_name, ordinal_position, "
                + "column_type FROM information_schema.columns WHERE table_schema = DATABASE()");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), t -> new HashMap<>())
                        .put(rs.getString(2), new ColumnState(rs.getInt(3), rs.getString(4)));
            }
        }
        Map<String, TableState> tables = new HashMap<>();
        // A partitioned table's storage is its partitions': any of them rebuilt is the table rebuilt.
        try (PreparedStatement query = connection.prepareStatement("SELECT t.table_name, MIN(s.table_id), "
                + "IF(COUNT(*) = 1, MIN(s.space), "
                + "CRC32(GROUP_CONCAT(s.space ORDER BY s.name))) FROM information_schema.tables t "
                + "JOIN information_schema." + view + " s "
                + "ON SUBSTRING_INDEX(s.name, '/', 1) = " + fileName("t.table_schema")
                + " AND SUBSTRING_INDEX(SUBSTRING_INDEX(s.name, '/', -1), '#', 1) = " + fileName("t.table_name")
                + " WHERE t.table_schema = DATABASE() AND t.table_type IN ('BASE TABLE', 'SYSTEM VERSIONED') "
                + "GROUP BY t.table_name");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                tables.put(rs.getString(1), new TableState(rs.getLong(2), rs.getLong(3), 0,
                        columns.getOrDefault(rs.getString(1), Map.of())));
            }
        }
        return new TableSnapshot(tables, Set.of());
    }

    /**
     * {@code information_schema}'s data and index lengths, as InnoDB's statistics count them (refreshed when a table is
     * rebuilt or a tenth of it changed): the table's whole, and all its secondary indexes as one, {@code (indexes)}.
     */
    @Override
    public List<Storage> storage(Connection connection) throws SQLException {
        List<Storage> storage = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT table_name, data_length, index_length FROM "
                     + "information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                storage.add(new Storage(rs.getString(1), null, rs.getLong(2) + rs.getLong(3)));
                if (rs.getLong(3) > 0) {
                    storage.add(new Storage(rs.getString(1), "(indexes)", rs.getLong(3)));
                }
            }
        }
        return storage;
    }

    @Override
    public Optional<LockWaits> lockWaits() {
        return Optional.of(new Waits());
    }

    /**
     * The processlist says which sessions wait for a metadata lock, without the table or who holds it;
     * performance_schema's metadata_locks, where the server runs with it (MySQL 8's default), tells both; InnoDB's
     * lock waits (MariaDB's information_schema, MySQL 8's performance_schema) tell a row lock's table and holder.
     * A view the server lacks, or the user may not read, is not asked again.
     */
    private final class Waits implements LockWaits {
        private static final String METADATA_WAIT = "SELECT id FROM information_schema.processlist "
                + "WHERE state = 'Waiting for table metadata lock' AND id IN (%s)";
        /** Every other session with a lock on the table, granted or queued: a superset of those holding this one up. */
        private static final String METADATA_LOCKS = "SELECT w.processlist_id, p.object_name, "
                + "GROUP_CONCAT(DISTINCT t.processlist_id) FROM performance_schema.metadata_locks p "
                + "JOIN performance_schema.threads w ON w.thread_id = p.owner_thread_id "
                + "JOIN performance_schema.metadata_locks o ON o.object_type = p.object_type "
                + "AND o.object_schema = p.object_schema AND o.object_name = p.object_name "
                + "AND o.owner_thread_id <> p.owner_thread_id "
                + "JOIN performance_schema.threads t ON t.thread_id = o.owner_thread_id "
                + "WHERE p.lock_status = 'PENDING' AND p.object_type = 'TABLE' AND w.processlist_id IN (%s) "
                + "GROUP BY w.processlist_id, p.object_name";
        private static final String MARIADB_ROW_LOCKS = "SELECT r.trx_mysql_thread_id, l.lock_table, "
                + "GROUP_CONCAT(DISTINCT b.trx_mysql_thread_id) FROM information_schema.innodb_lock_waits w "
                + "JOIN information_schema.innodb_trx r ON r.trx_id = w.requesting_trx_id "
                + "JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id "
                + "JOIN information_schema.innodb_locks l ON l.lock_id = w.requested_lock_id "
                + "WHERE r.trx_mysql_thread_id IN (%s) GROUP BY r.trx_mysql_thread_id, l.lock_table";
        private static final String MYSQL_ROW_LOCKS = "SELECT r.processlist_id, l.object_name, "
                + "GROUP_CONCAT(DISTINCT b.processlist_id) FROM performance_schema.data_lock_waits w "
                + "JOIN performance_schema.threads r ON r.thread_id = w.requesting_thread_id "
                + "JOIN performance_schema.threads b ON b.thread_id = w.blocking_thread_id "
                + "JOIN performance_schema.data_locks l ON l.engine_lock_id = w.requesting_engine_lock_id "
                + "WHERE r.processlist_id IN (%s) GROUP BY r.processlist_id, l.object_name";
        /**
         * MariaDB answers information_schema's InnoDB lock tables from a cache it refreshes only when they have not
         * been read for 0.1 s: asked every few milliseconds, they would show the first answer for ever.
         */
        private static final long ROW_LOCKS_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
        private final Set<String> unreadable = new HashSet<>();
        private Boolean performanceSchema;
        private long rowLocksReadAt = System.nanoTime() - ROW_LOCKS_REFRESH_NANOS;

        @Override
        public long session(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public List<Wait> waiting(Connection observer, java.util.Collection<Long> sessions) throws SQLException {
            if (sessions.isEmpty()) {
                return List.of();
            }
            String ids = sessions.stream().map(String::valueOf).collect(Collectors.joining(","));
            if (performanceSchema == null) {
                try (Statement statement = observer.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT @@performance_schema")) {
                    performanceSchema = rs.next() && rs.getInt(1) == 1;
                }
            }
            Map<Long, Wait> waits = new LinkedHashMap<>();
            if (performanceSchema) {
                read(observer, METADATA_LOCKS, ids, waits);
            }
            try (Statement statement = observer.createStatement();
                 ResultSet rs = statement.executeQuery(String.format(METADATA_WAIT, ids))) {
                while (rs.next()) {
                    waits.putIfAbsent(rs.getLong(1), new Wait(rs.getLong(1), null, Set.of()));
                }
            }
            if (engine != Engine.MARIADB) {
                read(observer, MYSQL_ROW_LOCKS, ids, waits);
            } else if (System.nanoTime() - rowLocksReadAt >= ROW_LOCKS_REFRESH_NANOS) {
                rowLocksReadAt = System.nanoTime();
                read(observer, MARIADB_ROW_LOCKS, ids, waits);
            }
            return List.copyOf(waits.values());
        }

        private void read(Connection observer, String query, String ids, Map<Long, Wait> waits) {
            if (unreadable.contains(query)) {
                return;
            }
            try (Statement statement = observer.createStatement();
                 ResultSet rs = statement.executeQuery(String.format(query, ids))) {
                while (rs.next()) {
                    Set<Long> blockers = new HashSet<>();
                    String holders = rs.getString(3);
                    for (String id : holders == null ? new String[0] : holders.split(",")) {
                        blockers.add(Long.parseLong(id.strip()));
                    }
                    // InnoDB writes `schema`.`table`; the traced locks name the table alone.
                    String table = rs.getString(2) == null ? null
                            : rs.getString(2).replaceFirst("^`[^`]*`\\.", "").replace("`", "");
                    waits.putIfAbsent(rs.getLong(1), new Wait(rs.getLong(1), table, blockers));
                }
            } catch (SQLException missing) {
                unreadable.add(query);
            }
        }
    }

    /** A name as InnoDB's list writes it: the server's file-name encoding of it, compared byte for byte. */
    private static String fileName(String column) {
        return "CONVERT(CONVERT(" + column + " USING filename) USING binary)";
    }

    /** DDL commits the open transaction: afterwards the session is in none until its next statement. */
    @Override
    public boolean committedImplicitly(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@in_transaction")) {
            return rs.next() && rs.getInt(1) == 0;
        }
    }

    /** Columns with their type, nullability and default; indexes; constraints; views, routines and triggers. */
    @Override
    public List<String> schemaObjects(Connection connection) throws SQLException {
        String sql = "SELECT CONCAT('column ', table_name, '.', column_name, ' ', column_type, "
                + "IF(is_nullable = 'NO', ' NOT NULL', ''), IFNULL(CONCAT(' DEFAULT ', column_default), ''), "
                + "IF(extra = '', '', CONCAT(' ', extra))) FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('index ', table_name, '.', index_name, IF(non_unique = 0, ' UNIQUE', ''), ' (', "
                + "GROUP_CONCAT(column_name ORDER BY seq_in_index), ')') FROM information_schema.statistics "
                + "WHERE table_schema = DATABASE() GROUP BY table_name, index_name, non_unique "
                + "UNION ALL SELECT CONCAT('constraint ', table_name, ' ', constraint_name, ' ', constraint_type) "
                + "FROM information_schema.table_constraints WHERE constraint_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('foreign key ', table_name, ' ', constraint_name, ' (', "
                + "GROUP_CONCAT(column_name ORDER BY ordinal_position), ') REFERENCES ', referenced_table_name, ' (', "
                + "GROUP_CONCAT(referenced_column_name ORDER BY ordinal_position), ')') FROM information_schema.key_column_usage "
                + "WHERE constraint_schema = DATABASE() AND referenced_table_name IS NOT NULL "
                + "GROUP BY table_name, constraint_name, referenced_table_name "
                + "UNION ALL SELECT CONCAT('check ', constraint_name, ' ', check_clause) FROM information_schema.check_constraints "
                + "WHERE constraint_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('view ', table_name, ' ', MD5(view_definition)) FROM information_schema.views "
                + "WHERE table_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('routine ', routine_type, ' ', routine_name, ' ', MD5(IFNULL(routine_definition, ''))) "
                + "FROM information_schema.routines WHERE routine_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('trigger ', event_object_table, ' ', trigger_name) FROM information_schema.triggers "
                + "WHERE trigger_schema = DATABASE() ORDER BY 1";
        List<String> objects = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                objects.add(rs.getString(1));
            }
        }
        return objects;
    }

    /**
     * Tried in this order, cheapest first: the first the server accepts is the one it picks by default, as an ALTER
     * without these clauses takes the least costly algorithm and the least restrictive lock the change allows.
     */
    private static final List<String> ALGORITHMS = List.of("INSTANT, LOCK=NONE", "NOCOPY, LOCK=NONE",
            "INPLACE, LOCK=NONE", "NOCOPY, LOCK=SHARED", "INPLACE, LOCK=SHARED", "COPY, LOCK=NONE", "COPY, LOCK=SHARED",
            "INPLACE, LOCK=EXCLUSIVE", "COPY, LOCK=EXCLUSIVE");
    /** A table or index name: bare, or quoted in backticks with any characters ({@code `order-items`}). */
    private static final String NAME = "(`(?:[^`]|``)+`|\\w+)";
    /** {@code ALTER [ONLINE] TABLE t changes}: the table in group 2, the changes in group 3. */
    private static final Pattern ALTER = Pattern.compile("(?is)(ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE\\s+"
            + "(?:IF\\s+EXISTS\\s+)?)" + NAME + "(\\s.*)");
    /** {@code CREATE [UNIQUE] INDEX i ON t (columns) options}, which ALTER TABLE t ADD [UNIQUE] INDEX i … also says. */
    private static final Pattern CREATE_INDEX = Pattern.compile("(?is)CREATE\\s+((?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?"
            + "INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME + ")\\s+ON\\s+" + NAME + "\\s*(\\(.*)");
    /** {@code DROP INDEX i ON t}, which takes no ALGORITHM clause: ALTER TABLE t DROP INDEX i does. */
    private static final Pattern DROP_INDEX = Pattern.compile("(?is)DROP\\s+(INDEX\\s+(?:IF\\s+EXISTS\\s+)?" + NAME + ")"
            + "\\s+ON\\s+" + NAME + "\\s*");
    /** An ALGORITHM or LOCK clause the statement gives itself. */
    private static final Pattern OPTION = Pattern.compile("(?i),?\\s*\\b(ALGORITHM|LOCK)\\s*=?\\s*(\\w+)");
    private static final Pattern RENAME_TABLE = Pattern.compile("(?i)\\bRENAME\\s+(?!COLUMN\\b|INDEX\\b|KEY\\b)");
    /** The metadata lock DROP TABLE and RENAME TABLE take, as MariaDB's metadata_lock_info names it. */
    private static final String EXCLUSIVE_METADATA_LOCK = "MDL_EXCLUSIVE";
    /**
     * The server's refusals of an algorithm or lock for a change: not supported for this operation (1845), not
     * supported for a reason (1846), an algorithm this server doesn't know (1800, e.g. NOCOPY on MySQL).
     */
    private static final Set<Integer> REFUSED = Set.of(1845, 1846, 1800);
    private static final Map<String, Set<Access>> BLOCKS = Map.of(
            "LOCK=SHARED", Set.of(Access.WRITES), "LOCK=EXCLUSIVE", Set.of(Access.READS, Access.WRITES),
            EXCLUSIVE_METADATA_LOCK, Set.of(Access.READS, Access.WRITES));

    @Override
    public Optional<AlterAlgorithm> alterAlgorithm(Connection session, String sql, RehearsalListener listener)
            throws SQLException {
        String statement = sql.replaceAll("(?m)^\\s*--.*$", "").strip().replaceFirst(";$", "");
        Matcher alter = ALTER.matcher(statement);
        Matcher create = CREATE_INDEX.matcher(statement);
        Matcher drop = DROP_INDEX.matcher(statement);
        String table;
        String changes;
        if (alter.matches()) {
            table = unquoted(alter.group(2));
            changes = alter.group(3);
        } else if (create.matches()) {
            table = unquoted(create.group(3));
            changes = " ADD " + create.group(1) + " " + create.group(4);
        } else if (drop.matches()) {
            table = unquoted(drop.group(3));
            changes = " DROP " + drop.group(1);
        } else {
            return Optional.empty();
        }
        // Renaming the copy would leave a table of the new name behind, in the migration's way.
        if (RENAME_TABLE.matcher(changes).find() || !tableExists(session, table)) {
            return Optional.empty();
        }
        // The statement's own ALGORITHM or LOCK narrows the choice; ONLINE means LOCK=NONE.
        Map<String, String> asked = new HashMap<>();
        Matcher option = OPTION.matcher(changes);
        while (option.find()) {
            asked.put(option.group(1).toUpperCase(Locale.ROOT), option.group(2).toUpperCase(Locale.ROOT));
        }
        if (alter.matches() && alter.group(1).toUpperCase(Locale.ROOT).contains("ONLINE")) {
            asked.put("LOCK", "NONE");
        }
        String plain = OPTION.matcher(changes).replaceAll("");
        String copy = "schema_rehearsal_algorithm";
        try (Statement copying = session.createStatement()) {
            copying.execute("DROP TABLE IF EXISTS " + quote(copy));
            copying.execute("CREATE TABLE " + quote(copy) + " LIKE " + quote(table));
            try {
                for (String algorithm : ALGORITHMS) {
                    String[] chosen = algorithm.split(", LOCK=");
                    if (!asked.getOrDefault("ALGORITHM", chosen[0]).equals(chosen[0])
                            || !asked.getOrDefault("LOCK", chosen[1]).equals(chosen[1])) {
                        continue;
                    }
                    try {
                        copying.execute("ALTER TABLE " + quote(copy) + plain + ", ALGORITHM=" + algorithm);
                        return Optional.of(new AlterAlgorithm(table, chosen[0], "LOCK=" + chosen[1]));
                    } catch (SQLException e) {
                        if (!REFUSED.contains(e.getErrorCode())) {
                            // Not a refusal: every other algorithm would fail the same way.
                            listener.warn("Could not learn which ALTER algorithm the server picks for " + table
                                    + " (tried on an empty copy with ALGORITHM=" + algorithm + "): " + e.getMessage()
                                    + ". The statement's metadata lock is not reported");
                            return Optional.empty();
                        }
                        // Expected: the next, costlier one is tried.
                        listener.debug("ALTER on " + table + ": ALGORITHM=" + algorithm + " refused: " + e.getMessage());
                    }
                }
                return Optional.empty();
            } finally {
                copying.execute("DROP TABLE IF EXISTS " + quote(copy));
            }
        }
    }

    /** A name as the catalog has it: {@code `order-items`} is {@code order-items}. */
    private static String unquoted(String name) {
        return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
    }

    private static boolean tableExists(Connection session, String table) throws SQLException {
        try (PreparedStatement query = session.prepareStatement("SELECT 1 FROM information_schema.tables "
                + "WHERE table_schema = DATABASE() AND table_name = ?")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Set<Access> blocks(String lockMode) {
        return BLOCKS.getOrDefault(lockMode, Set.of());
    }

    /**
     * lock_wait_timeout in milliseconds; the servers' defaults (a day on MariaDB, a year on MySQL) count as no
     * timeout (0), as a migration waiting that long is waiting for ever in effect.
     */
    @Override
    public OptionalLong lockTimeoutMs(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
            if (!rs.next()) {
                return OptionalLong.empty();
            }
            double seconds = rs.getDouble(1);
            return OptionalLong.of(seconds >= 86_400 ? 0 : Math.round(seconds * 1000));
        }
    }

    @Override
    public boolean narrows(String fromType, String toType) {
        return TypeWidths.narrows(List.of("tinyint", "smallint", "mediumint", "int", "bigint"),
                List.of("text", "varchar"), fromType, toType);
    }

    /**
     * The session's default turns read-only too, so the transaction that follows an implicit commit is read-only as
     * well. MariaDB's {@code max_statement_time} is in seconds; MySQL's {@code max_execution_time} in milliseconds,
     * for SELECTs, which is all the sample runs.
     */
    @Override
    public void beginReadOnly(Connection connection, long statementTimeoutMs) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            // Two harmless reads in one call: a session that runs both would run a statement hidden after a ';'.
            boolean ranBoth;
            try {
                statement.execute("SELECT 1; SELECT 2");
                ranBoth = true;
            } catch (SQLException refused) {
                ranBoth = false;
            }
            if (ranBoth) {
                throw new ConfigurationException("sourceUrl", "the source session runs several statements given in one "
                        + "call", "remove allowMultiQueries from <sourceUrl>: schema:sample sends the source one "
                        + "statement per call");
            }
            statement.execute(engine == Engine.MARIADB ? "SET SESSION max_statement_time = " + statementTimeoutMs / 1000.0
                    : "SET SESSION max_execution_time = " + statementTimeoutMs);
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            connection.setAutoCommit(false);
            statement.execute("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT");
        }
    }

    /** The session refuses a second statement in one call: the driver sends the text whole, the engine refuses it. */
    @Override
    public boolean sentAsOneStatement(Connection connection, String sql) {
        return true;
    }

    /**
     * From the user's grants as SHOW GRANTS lists them, and those of the roles granted to it: every privilege but the
     * ones that only read (SELECT, SHOW VIEW, …) or touch no stored data (USAGE, LOCK TABLES, CREATE TEMPORARY
     * TABLES), on whatever it applies to. A role whose grants cannot be read counts as able to write.
     */
    @Override
    public List<String> writePrivileges(Connection connection) throws SQLException {
        Map<String, List<String>> byPrivilege = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Deque<String> grantees = new ArrayDeque<>(List.of("CURRENT_USER"));
        Set<String> seen = new HashSet<>();
        while (!grantees.isEmpty()) {
            String grantee = grantees.pop();
            if (!seen.add(grantee)) {
                continue;
            }
            List<String> grants = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SHOW GRANTS FOR " + grantee)) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            } catch (SQLException e) {
                unknown.add("role " + grantee + " (its grants could not be read: " + e.getMessage().strip() + ")");
                continue;
            }
            for (String grant : grants) {
                Matcher privileges = GRANT_ON.matcher(grant);
                if (privileges.matches()) {
                    for (String privilege : splitOutsideParentheses(privileges.group(1))) {
                        String name = privilege.replaceAll("\\(.*", "").trim().replaceAll("\\s+", " ")
                                .toUpperCase(Locale.ROOT);
                        if (!READ_ONLY_PRIVILEGES.contains(name)) {
                            byPrivilege.computeIfAbsent(name, p -> new ArrayList<>()).add(privileges.group(2).trim());
                        }
                    }
                } else {
                    Matcher roles = GRANT_ROLE.matcher(grant);
                    if (roles.matches()) {
                        splitOutsideParentheses(roles.group(1)).forEach(role -> grantees.add(role.trim()));
                    }
                }
            }
        }
        List<String> held = new ArrayList<>();
        byPrivilege.forEach((privilege, objects) -> held.add(privilege + " on " + Dialect.someOf(objects)));
        held.addAll(unknown);
        return held;
    }

    private static List<String> splitOutsideParentheses(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(list.substring(start));
        return parts;
    }

    /**
     * The session's default for its transactions (what a new transaction would be) and, on MariaDB, whether it is
     * still in one; a write in the READ ONLY transaction the engine refuses itself.
     */
    @Override
    public String readOnlyState(Connection connection) throws SQLException {
        return single(connection, engine == Engine.MARIADB
                ? "SELECT CONCAT('tx_read_only ', @@session.tx_read_only, ', in_transaction ', @@in_transaction)"
                : "SELECT CONCAT('transaction_read_only ', @@session.transaction_read_only)");
    }

    @Override
    public String sampleHash(List<String> columns, long seed) {
        return "CAST(CONV(SUBSTRING(MD5(CONCAT_WS('|', " + seed + ", " + String.join(", ", columns) + ")), 1, 8), 16, 10) "
                + "AS UNSIGNED)";
    }

    @Override
    public String statisticsScript() {
        return engine == Engine.MARIADB ? "stats-mariadb.sql" : "stats-mysql.sql";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** How MySQL and MariaDB change a big table without blocking writes when the server itself can't. */
    private static final String ONLINE_TOOL = "an online schema change tool (gh-ost, pt-online-schema-change), which "
            + "copies the table in the background while writes go on and swaps it in with a brief lock";

    @Override
    public String rewriteAlternative(Rewrite kind, boolean online) {
        if (online && kind != Rewrite.TRUNCATE) {
            return "the rebuild runs online (LOCK=NONE), but it reads and writes the whole table and replicas apply it "
                    + "only after it ends: run it off-peak, or throttled with " + ONLINE_TOOL;
        }
        return switch (kind) {
            case TYPE_CHANGE -> "add a column of the new type (ALGORITHM=INSTANT), backfill it in batches and switch to "
                    + "it, or make the change with " + ONLINE_TOOL;
            case STORED_GENERATED_COLUMN -> "add the column VIRTUAL (ALGORITHM=INSTANT; it can still be indexed), or "
                    + "add it STORED with " + ONLINE_TOOL;
            case VOLATILE_DEFAULT -> "add the column NULL without a default (ALGORITHM=INSTANT), backfill it in batches, "
                    + "then have the application fill it for new rows";
            case TRUNCATE -> "delete the rows in batches while the table stays available, or truncate in a maintenance "
                    + "window";
            case SEQUENCE_COLUMN, SET_LOGGED, SET_UNLOGGED, REBUILD, OTHER -> "ALGORITHM=INPLACE, LOCK=NONE where the "
                    + "operation allows it, else " + ONLINE_TOOL;
        };
    }

    @Override
    public String lockTimeoutAlternative() {
        return "SET SESSION lock_wait_timeout = 5 at the top of the migration (the default waits a year), and retry on "
                + "timeout";
    }

    @Override
    public String indexAlternative() {
        return "a secondary index with ALGORITHM=INPLACE, LOCK=NONE; a FULLTEXT or SPATIAL index always blocks writes "
                + "while it builds, so build it with " + ONLINE_TOOL;
    }

    @Override
    public String notNullAlternative() {
        return "backfill the NULLs in batches first, then MODIFY … NOT NULL with ALGORITHM=INPLACE, LOCK=NONE (an "
                + "online rebuild), or keep the column nullable with the rule enforced by the application";
    }

    @Override
    public String constraintAlternative(boolean foreignKey) {
        return foreignKey ? "check the rows with a query beforehand, then add the key with SET foreign_key_checks = 0 "
                + "before it (ALGORITHM=INPLACE, no copy)" : "enforce the rule in the application or a trigger first, "
                + "and add the CHECK constraint with " + ONLINE_TOOL;
    }

    @Override
    public String atomicityAlternative() {
        return "one DDL statement per migration: " + (engine == Engine.MARIADB ? "MariaDB" : "MySQL") + " commits each "
                + "DDL statement on its own, so a later failure can't undo an earlier one";
    }

    /** Each DDL statement commits on its own: between the rename and the view, the old name is missing. */
    @Override
    public String renamedTableView() {
        return "right after it (a view of one table is updatable, so the old name keeps reading and writing; each DDL "
                + "statement commits on its own, so for that moment the old name is missing)";
    }

    /** Dropping or renaming a table takes an exclusive metadata lock on it: every query on the table waits. */
    @Override
    public Optional<String> dropOrRenameLock() {
        return Optional.of(EXCLUSIVE_METADATA_LOCK);
    }

    @Override
    public String blockingLockAlternative() {
        return "ALGORITHM=INSTANT or INPLACE with LOCK=NONE where the operation allows it, else " + ONLINE_TOOL
                + "; and set lock_wait_timeout";
    }

    @Override
    public void dropDatabase(Connection admin, String name) throws SQLException {
        // DROP DATABASE waits for the metadata locks of sessions still in it: end them first.
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    sessions.add(rs.getLong(1));
                }
            }
        }
        try (Statement statement = admin.createStatement()) {
            for (long id : sessions) {
                try {
                    statement.execute("KILL " + id);
                } catch (SQLException alreadyGone) {
                    // The session ended on its own between the query and the KILL.
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
        }
    }

    @Override
    public List<String> databasesStartingWith(Connection admin, String prefix) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT schema_name FROM information_schema.schemata WHERE LEFT(schema_name, CHAR_LENGTH(?)) = ? ORDER BY 1")) {
            query.setString(1, prefix);
            query.setString(2, prefix);
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
        String database = dot < 0 ? null : qualifiedName.substring(0, dot);
        String table = dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1);
        return new TableName(database == null ? connection.getCatalog() : database, null, table);
    }

    /**
     * LOAD DATA LOCAL INFILE from a stream of the file re-encoded as it is read; where the server refuses LOCAL
     * INFILE, multi-row INSERTs. With LOCAL, the server turns bad values and duplicate keys into warnings and goes on
     * (it cannot stop the client's upload), so the warnings decide whether the load failed.
     */
    @Override
    public long bulkLoad(Connection connection, CsvSource source, InputStream data, RehearsalListener listener)
            throws SQLException, IOException, RowRejectedException {
        if (!localInfile(connection)) {
            listener.warn("Loading " + source.table().name() + " with multi-row INSERTs: the server has local_infile=OFF, "
                    + "so LOAD DATA LOCAL INFILE is refused and loading is slower. Fix: SET GLOBAL local_infile = 1 on the server");
            return insert(connection, source, data);
        }
        String sql = "LOAD DATA LOCAL INFILE 'schema-rehearsal.tsv' INTO TABLE " + source.table().sql(this)
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
                + source.columns().stream().map(this::quote).collect(Collectors.joining(", ")) + ")";
        try (CSVParser parser = source.parse(data); Statement statement = connection.createStatement();
             TabSeparatedStream stream = new TabSeparatedStream(parser, source.columns().size())) {
            if (statement.isWrapperFor(org.mariadb.jdbc.Statement.class)) {
                statement.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(stream);
            } else {
                statement.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).setLocalInfileInputStream(stream);
            }
            long rows = statement.executeLargeUpdate(sql);
            if (stream.failure() instanceof RowRejectedException rejected) {
                throw rejected;
            }
            if (stream.failure() instanceof IOException unreadable) {
                throw unreadable;
            }
            checkWarnings(connection, source, 1);
            if (rows != stream.records()) {
                throw RowRejectedException.unlocated("the engine loaded " + rows + " of " + stream.records()
                        + " rows and gave no reason", null);
            }
            return rows;
        }
    }

    private static boolean localInfile(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@GLOBAL.local_infile")) {
            rs.next();
            return List.of("1", "ON").contains(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Multi-row INSERTs, for servers that refuse LOCAL INFILE. */
    private long insert(Connection connection, CsvSource source, InputStream data)
            throws SQLException, IOException, RowRejectedException {
        int columns = source.columns().size();
        int perStatement = Math.max(1, Math.min(1000, MAX_PARAMETERS / columns));
        String[] values = new String[perStatement * columns];
        long records = 0;
        int pending = 0;
        try (CSVParser parser = source.parse(data);
             PreparedStatement full = connection.prepareStatement(insertSql(source, perStatement))) {
            for (CSVRecord record : parser) {
                if (record.size() != columns) {
                    throw RowRejectedException.atRecord(records + 1, null, record.size() + " fields, the header has " + columns,
                            null);
                }
                for (int i = 0; i < columns; i++) {
                    values[pending * columns + i] = record.get(i);
                }
                records++;
                if (++pending == perStatement) {
                    execute(connection, full, source, values, pending, records - pending + 1);
                    pending = 0;
                }
            }
            if (pending > 0) {
                try (PreparedStatement rest = connection.prepareStatement(insertSql(source, pending))) {
                    execute(connection, rest, source, values, pending, records - pending + 1);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return records;
    }

    private String insertSql(CsvSource source, int rows) {
        String row = source.columns().stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
        return "INSERT INTO " + source.table().sql(this) + " ("
                + source.columns().stream().map(this::quote).collect(Collectors.joining(", ")) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    private void execute(Connection connection, PreparedStatement insert, CsvSource source, String[] values, int rows,
                         long firstRecord) throws SQLException, RowRejectedException {
        int parameters = rows * source.columns().size();
        for (int i = 0; i < parameters; i++) {
            if (values[i] == null) {
                insert.setNull(i + 1, Types.VARCHAR);
            } else {
                insert.setString(i + 1, values[i]);
            }
        }
        try {
            insert.executeUpdate();
        } catch (SQLException e) {
            throw rejected(connection, source, e.getMessage().replaceFirst("^\\(conn=\\d+\\) ", ""), firstRecord, e);
        }
        checkWarnings(connection, source, firstRecord);
    }

    /** The first warning of the last statement, as a rejected row; notes are not problems. */
    private void checkWarnings(Connection connection, CsvSource source, long firstRecord)
            throws SQLException, RowRejectedException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW WARNINGS")) {
            while (rs.next()) {
                if (!"Note".equalsIgnoreCase(rs.getString("Level"))) {
                    throw rejected(connection, source, rs.getString("Message"), firstRecord, null);
                }
            }
        }
    }

    private RowRejectedException rejected(Connection connection, CsvSource source, String message, long firstRecord,
                                          SQLException cause) throws SQLException {
        Matcher atRow = AT_ROW.matcher(message);
        if (atRow.find()) {
            String[] parts = atRow.group(1).split("\\.");
            String column = parts[parts.length - 1].replaceAll("^[`']|[`']$", "");
            return RowRejectedException.atRecord(firstRecord + Long.parseLong(atRow.group(2)) - 1, column, message, cause);
        }
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.find()) {
            // The server names the key and its value, not the row: the second row holding the value is the duplicate.
            List<String> key = uniqueKeys(connection, source.table()).getOrDefault(duplicate.group(2), List.of());
            return RowRejectedException.byValue(key.size() == 1 ? key.get(0) : null, duplicate.group(1), 2, message, cause);
        }
        Matcher foreign = FOREIGN_KEY.matcher(message);
        if (foreign.find()) {
            // The server names neither row nor value: the first row whose parent is missing is the one.
            long record = orphan(connection, source, foreign.group(1), foreign.group(2), foreign.group(3));
            if (record > 0) {
                return RowRejectedException.atRecord(record, foreign.group(1), message, cause);
            }
        }
        return RowRejectedException.unlocated(message, cause);
    }

    /** The first data row whose value in the column has no parent row, or 0: one look-up a row, paid only by a failed load. */
    private long orphan(Connection connection, CsvSource source, String column, String parent, String parentColumn)
            throws SQLException {
        int index = source.columns().indexOf(column);
        if (index < 0) {
            return 0;
        }
        String query = "SELECT " + quote(parentColumn) + " FROM " + new TableName(source.table().catalog(), null, parent).sql(this)
                + " WHERE " + quote(parentColumn) + " = ?";
        try (InputStream in = java.nio.file.Files.newInputStream(source.file()); CSVParser parser = source.parse(in);
             PreparedStatement exists = connection.prepareStatement(query)) {
            long record = 0;
            for (CSVRecord row : parser) {
                record++;
                if (index < row.size() && row.get(index) != null) {
                    exists.setString(1, row.get(index));
                    try (ResultSet rs = exists.executeQuery()) {
                        if (!rs.next()) {
                            return record;
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        return 0;
    }

    /** InnoDB moves AUTO_INCREMENT past every value inserted explicitly, LOAD DATA's and INSERT … SELECT's included. */
    @Override
    public void advanceSequences(Connection connection, TableName table) {
    }

    @Override
    public void analyze(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // MariaDB's optimizer also reads its engine-independent statistics, which only PERSISTENT FOR collects.
            statement.execute("ANALYZE TABLE " + table.sql(this) + (engine == Engine.MARIADB ? " PERSISTENT FOR ALL" : ""));
        }
    }

    /**
     * The optimizer's row count lives in InnoDB's persistent statistics ({@code mysql.innodb_table_stats}) and, on
     * MariaDB, in the engine-independent statistics ({@code mysql.table_stats}, {@code mysql.column_stats}); both are
     * plain tables, re-read when the table is next opened. MySQL 8.0.31 and later take a histogram as data.
     */
    @Override
    public List<String> applyStatistics(Connection connection, TableName table, TableStatistics statistics)
            throws SQLException {
        List<String> notApplied = new ArrayList<>();
        String name = table.sql(this);
        try {
            update(connection, "UPDATE mysql.innodb_table_stats SET n_rows = ? WHERE database_name = ? AND table_name = ?",
                    statistics.rows(), table.catalog(), table.name());
            if (engine == Engine.MARIADB) {
                update(connection, "UPDATE mysql.table_stats SET cardinality = ? WHERE db_name = ? AND table_name = ?",
                        statistics.rows(), table.catalog(), table.name());
            }
        } catch (SQLException e) {
            notApplied.add(name + ": the row count could not be written to the statistics tables: " + e.getMessage());
        }
        List<Column> columns = columns(connection, table).orElse(List.of());
        for (Map.Entry<String, ColumnStatistics> entry : statistics.columns().entrySet()) {
            Optional<String> column = columns.stream().map(Column::name).filter(c -> c.equalsIgnoreCase(entry.getKey())).findFirst();
            if (column.isEmpty()) {
                notApplied.add(name + "." + entry.getKey() + ": the shadow has no such column");
            } else if (engine == Engine.MARIADB) {
                applyMariaDb(connection, table, column.get(), entry.getValue(), statistics.rows(), notApplied);
            } else {
                applyMySql(connection, table, column.get(), entry.getValue(), notApplied);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("FLUSH TABLES " + name);
        }
        return notApplied;
    }

    private void applyMariaDb(Connection connection, TableName table, String column, ColumnStatistics stats, long rows,
                              List<String> notApplied) throws SQLException {
        Double nonNull = stats.nullFraction() == null ? 1.0 : 1 - stats.nullFraction();
        Double frequency = stats.distinct() == null || stats.distinct() == 0 ? null
                : stats.distinct() > 0 ? rows * nonNull / stats.distinct() : nonNull / -stats.distinct();
        try {
            update(connection, "UPDATE mysql.column_stats SET nulls_ratio = coalesce(?, nulls_ratio), "
                    + "avg_length = coalesce(?, avg_length), avg_frequency = coalesce(?, avg_frequency) "
                    + "WHERE db_name = ? AND table_name = ? AND column_name = ?",
                    stats.nullFraction(), stats.averageWidth(), frequency, table.catalog(), table.name(), column);
        } catch (SQLException e) {
            notApplied.add(table.sql(this) + "." + quote(column) + ": " + e.getMessage());
        }
        if (stats.mostCommonValues() != null || stats.histogramBounds() != null || stats.histogram() != null) {
            notApplied.add(table.sql(this) + "." + quote(column) + ": MariaDB builds its histograms only by ANALYZE: "
                    + "production's most common values and histogram are not applied, the sample's are used");
        }
    }

    private void applyMySql(Connection connection, TableName table, String column, ColumnStatistics stats,
                            List<String> notApplied) throws SQLException {
        String where = table.sql(this) + "." + quote(column);
        if (stats.histogram() == null) {
            notApplied.add(where + ": MySQL keeps column statistics only as histograms, and the snapshot has none "
                    + "for this column (stats-mysql.sql exports them)");
            return;
        }
        if (!atLeast(connection, 8, 0, 31)) {
            notApplied.add(where + ": MySQL " + connection.getMetaData().getDatabaseProductVersion()
                    + " cannot take a histogram as data (8.0.31 and later can)");
            return;
        }
        String json;
        try {
            json = JsonMapper.builder().build().writeValueAsString(stats.histogram());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("ANALYZE TABLE " + table.sql(this) + " UPDATE HISTOGRAM ON "
                     + quote(column) + " USING DATA '" + json.replace("\\", "\\\\").replace("'", "''") + "'")) {
            while (rs.next()) {
                if ("error".equalsIgnoreCase(rs.getString("Msg_type"))) {
                    notApplied.add(where + ": " + rs.getString("Msg_text"));
                }
            }
        }
    }

    /**
     * MariaDB's ANALYZE FORMAT=JSON runs the query and amends the plan with what happened. MySQL's EXPLAIN ANALYZE
     * (8.0.18 and later) writes only its tree format, so the plan comes from EXPLAIN FORMAT=JSON and the execution
     * time from the tree's root.
     */
    @Override
    public Plan explain(Connection connection, String sql, boolean analyze) throws SQLException {
        if (analyze && engine == Engine.MARIADB) {
            return MySqlPlans.parse(single(connection, "ANALYZE FORMAT=JSON " + sql));
        }
        Plan plan = MySqlPlans.parse(single(connection, "EXPLAIN FORMAT=JSON " + sql));
        if (!analyze || !atLeast(connection, 8, 0, 18)) {
            return plan;
        }
        return new Plan(plan.plan(), plan.cost(), MySqlPlans.analyzedMs(single(connection, "EXPLAIN ANALYZE " + sql)), null);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean atLeast(Connection connection, int major, int minor, int patch) throws SQLException {
        String[] version = connection.getMetaData().getDatabaseProductVersion().split("[.-]");
        int[] have = new int[3];
        for (int i = 0; i < 3 && i < version.length; i++) {
            String digits = version[i].replaceAll("\\D.*", "");
            have[i] = digits.isEmpty() ? 0 : Integer.parseInt(digits);
        }
        return java.util.Arrays.compare(have, new int[] {major, minor, patch}) >= 0;
    }

    private static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            update.executeUpdate();
        }
    }
}
