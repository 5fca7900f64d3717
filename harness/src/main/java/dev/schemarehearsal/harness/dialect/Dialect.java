package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/** Everything that differs between engines. Code outside this package never asks which engine it runs on. */
public interface Dialect {

    static Dialect of(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> new PostgresDialect();
            case MYSQL, MARIADB -> new MySqlDialect(engine);
        };
    }

    /**
     * The dialect of a JDBC URL by its scheme ({@code jdbc:postgresql:}, {@code jdbc:mysql:}, {@code jdbc:mariadb:}),
     * or empty for an engine the tool doesn't know. MySQL's and MariaDB's drivers reach either server: {@link #onServer}
     * tells which one answered.
     */
    static Optional<Dialect> forUrl(String url) {
        // An engine's own scheme first: jdbc:mariadb: is MariaDB's, though MySQL's dialect takes it too.
        return Arrays.stream(Engine.values()).filter(engine -> url.startsWith("jdbc:" + engine.id() + ":")).findFirst()
                .map(Dialect::of)
                .or(() -> Arrays.stream(Engine.values()).map(Dialect::of).filter(dialect -> dialect.urlSchemes().stream()
                        .anyMatch(scheme -> url.startsWith("jdbc:" + scheme + ":"))).findFirst());
    }

    Engine engine();

    /** This dialect, or the one of the engine that answered on the connection when its URL's scheme doesn't say. */
    default Dialect onServer(Connection connection) throws SQLException {
        return this;
    }

    /** The URL schemes a user may give for this engine, e.g. {@code postgresql}. */
    List<String> urlSchemes();

    /**
     * The driver properties that name a session on the server, so that the tool's sessions can be told apart from
     * others and from each other.
     *
     * @param application the session's name, e.g. {@code schema-rehearsal migration}
     */
    Properties sessionName(String application);

    /** The driver properties every session of the tool on a shadow needs, its {@link #sessionName} among them. */
    Properties sessionProperties(String application);

    /** A new session on a shadow with the {@link #sessionProperties}: the one way the tool connects to a shadow. */
    default Connection connect(String url, String user, String password, String application) throws SQLException {
        return connect(url, sessionProperties(application), user, password);
    }

    /**
     * A new session on a source that {@code schema:sample} only reads: its URL as {@link #sourceUrl} gives it, and of
     * the shadow's session properties its name only. The shadow's others would undo walls: MySQL's driver takes the
     * properties given over the URL's, and would rewrite batches and read local files again. The one way the tool
     * connects to a source.
     *
     * @throws ConfigurationException naming {@code sourceUrl} when the URL asks the driver to run several statements in
     *                                one call
     */
    default Connection connectSource(String url, String user, String password, String application) throws SQLException {
        return connect(sourceUrl(url), sessionName(application), user, password);
    }

    /**
     * A new session on the database that keeps the history of runs: its URL as the user gave it, and of the shadow's
     * session properties its name only. The shadow's others suit a throwaway server, not a lasting one: MySQL's would
     * turn TLS off and let the server read the build machine's files. The one way the tool connects to a history.
     */
    default Connection connectHistory(String url, String user, String password) throws SQLException {
        return connect(url, sessionName("schema-rehearsal history"), user, password);
    }

    /**
     * The statement that creates the history's table when it doesn't exist yet: a generated key {@code id}, then
     * {@code recorded_at}, {@code branch}, {@code git_commit} and {@code verdict} as text, {@code format} as an
     * integer and the {@code record} as text of any length (UTF-8 on every engine).
     */
    String createHistoryTable(String table);

    private static Connection connect(String url, Properties properties, String user, String password)
            throws SQLException {
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    /**
     * A source's JDBC URL with the driver properties its read-only session needs appended, last, so that they win over
     * the URL's own: no batch rewriting, no local files, and one statement per call whatever the URL says.
     *
     * @throws ConfigurationException naming {@code sourceUrl} when the URL asks the driver to run several statements in
     *                                one call
     */
    String sourceUrl(String url);

    /** Names for a message: the first few, then how many more. */
    static String someOf(List<String> names) {
        int shown = 5;
        return names.size() <= shown + 1 ? String.join(", ", names)
                : String.join(", ", names.subList(0, shown)) + " and " + (names.size() - shown) + " more";
    }

    /** The value of a driver property given in a JDBC URL's query ({@code ?a=1&b=2}), by case-insensitive name; else null. */
    static String urlProperty(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        String value = null;
        for (String pair : url.substring(query + 1).split("[&;]")) {
            String[] parts = pair.split("=", 2);
            if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).trim().equalsIgnoreCase(name)) {
                // The last one given is the one drivers keep.
                value = parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8).trim();
            }
        }
        return value;
    }

    /**
     * Readies a session of the probe workload to plan each statement as it runs, never from a plan the server keeps
     * for the session: a migration that adds or drops a column under a kept {@code SELECT *} would fail it ("cached
     * plan must not change result type" on PostgreSQL) without blocking anything, which is not what the probes measure.
     * MySQL's and MariaDB's drivers prepare statements on the client unless told otherwise.
     */
    default void planEachStatement(Connection session) throws SQLException {
    }

    /** Adjusts Flyway for this engine, so it applies migrations the way production's Flyway would. */
    default void configure(FluentConfiguration flyway) {
    }

    /** Quotes an identifier. */
    String quote(String identifier);

    /** What kind of statement rewrote a table: the safe alternative depends on it. */
    enum Rewrite {
        /** A column's type changed. */
        TYPE_CHANGE,
        /** A stored generated column added: every row computed. */
        STORED_GENERATED_COLUMN,
        /** A column added with a default that differs per row. */
        VOLATILE_DEFAULT,
        /** A column added that a sequence fills: serial, identity, AUTO_INCREMENT. */
        SEQUENCE_COLUMN,
        /** PostgreSQL's {@code SET LOGGED}: the whole table written again, to the WAL too. */
        SET_LOGGED,
        /** PostgreSQL's {@code SET UNLOGGED}. */
        SET_UNLOGGED,
        /** A rebuild for its own sake: VACUUM FULL, CLUSTER, OPTIMIZE TABLE, ALTER TABLE … FORCE or ENGINE=. */
        REBUILD,
        /** TRUNCATE: new empty storage. */
        TRUNCATE,
        /** Anything else that rewrites or copies the table (a constraint, a character set, a primary key …). */
        OTHER
    }

    /**
     * The safe alternative to a statement that rewrote a table, for this engine, as a sentence without the
     * "Safe alternative:" lead.
     *
     * @param online the rewrite blocked neither reads nor writes (MySQL's and MariaDB's INPLACE with LOCK=NONE)
     */
    String rewriteAlternative(Rewrite kind, boolean online);

    /** The safe alternative to a blocking statement without a lock timeout. */
    String lockTimeoutAlternative();

    /** The safe alternative to an index built while writes wait. */
    String indexAlternative();

    /** The safe alternative to a statement that held a blocking lock too long. */
    String blockingLockAlternative();

    /** The safe alternative to making a column NOT NULL with a scan under a blocking lock. */
    String notNullAlternative();

    /** The safe alternative to a constraint validated under a blocking lock. */
    String constraintAlternative(boolean foreignKey);

    /** The safe alternative to a migration a failure leaves half-changed. */
    String atomicityAlternative();

    /**
     * The safe alternative to renaming a table, or one of its columns, that the application still uses by its old name.
     *
     * @param column {@code null} for the table itself
     * @param to     the new name
     */
    default String renameAlternative(String table, String column, String to) {
        if (column != null) {
            return "expand and contract: add " + to + " beside " + column + ", write both (a trigger or the "
                    + "application), backfill " + to + " in batches, move the readers to it, then drop " + column
                    + " in a later release";
        }
        return "expand and contract: rename, then CREATE VIEW " + table + " AS SELECT * FROM " + to + " "
                + renamedTableView() + ", move readers and writers to " + to + ", then drop the view in a later release";
    }

    /** When the view that keeps a renamed table's old name answering is created, and what it gives. */
    String renamedTableView();

    /**
     * The lock a statement that dropped or renamed a table held on it, where the statement's own session can't show it
     * (MySQL's and MariaDB's exclusive metadata lock), as a mode {@link #blocks} knows; empty where such locks are
     * measured.
     */
    default Optional<String> dropOrRenameLock() {
        return Optional.empty();
    }

    /** The SQL that creates an empty database. */
    default String createDatabase(String name) {
        return "CREATE DATABASE " + quote(name);
    }

    /** Ends other sessions on the database, then drops it. The connection is to another database on the server. */
    void dropDatabase(Connection admin, String name) throws SQLException;

    /** The database names on the server that start with the prefix. */
    List<String> databasesStartingWith(Connection admin, String prefix) throws SQLException;

    /** The catalog and schema a table name lives in: a qualified {@code schema.table} or the session's default. */
    TableName tableName(Connection connection, String qualifiedName) throws SQLException;

    /** The table's columns in their catalog order, or empty when the table doesn't exist. */
    default Optional<List<Column>> columns(Connection connection, TableName table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(table.catalog(), table.schema(), table.name(), null)) {
            while (rs.next()) {
                columns.add(new Column(rs.getString("COLUMN_NAME"), Column.kind(rs.getInt("DATA_TYPE")),
                        "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))));
            }
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    /** The table's foreign keys, one entry per column pair. */
    default List<ForeignKey> foreignKeys(Connection connection, TableName table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        for (Reference reference : references(connection, table)) {
            for (int i = 0; i < reference.columns().size(); i++) {
                keys.add(new ForeignKey(reference.columns().get(i), reference.parent(), reference.parentColumns().get(i)));
            }
        }
        return keys;
    }

    /** The table's foreign keys, one entry per constraint, composite keys' columns in their key order. */
    default List<Reference> references(Connection connection, TableName table) throws SQLException {
        Map<String, Reference> references = new LinkedHashMap<>();
        try (ResultSet rs = connection.getMetaData().getImportedKeys(table.catalog(), table.schema(), table.name())) {
            while (rs.next()) {
                // Drivers differ in which of catalog and schema they fill: keep the ones this engine uses.
                TableName parent = new TableName(table.catalog() == null ? null : rs.getString("PKTABLE_CAT"),
                        table.schema() == null ? null : rs.getString("PKTABLE_SCHEM"), rs.getString("PKTABLE_NAME"));
                String name = rs.getString("FK_NAME");
                Reference reference = references.computeIfAbsent(name + "\n" + parent,
                        k -> new Reference(name, new ArrayList<>(), parent, new ArrayList<>()));
                reference.columns().add(rs.getString("FKCOLUMN_NAME"));
                reference.parentColumns().add(rs.getString("PKCOLUMN_NAME"));
            }
        }
        return references.values().stream()
                .map(r -> new Reference(r.name(), List.copyOf(r.columns()), r.parent(), List.copyOf(r.parentColumns())))
                .toList();
    }

    /** The columns of the table's primary key in key order, empty when it has none. */
    default List<String> primaryKey(Connection connection, TableName table) throws SQLException {
        Map<Integer, String> columns = new TreeMap<>();
        try (ResultSet rs = connection.getMetaData().getPrimaryKeys(table.catalog(), table.schema(), table.name())) {
            while (rs.next()) {
                columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(columns.values());
    }

    /** The base tables of the session's schema (PostgreSQL) or database (MySQL/MariaDB), by name. */
    default List<TableName> tables(Connection connection) throws SQLException {
        TableName scope = tableName(connection, "any");
        List<TableName> tables = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getTables(scope.catalog(), scope.schema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(new TableName(scope.catalog(), scope.schema(), rs.getString("TABLE_NAME")));
            }
        }
        tables.sort(Comparator.comparing(TableName::name));
        return tables;
    }

    /** How the SQL parser reads this engine's text: its quotes, escapes and comments. */
    AbstractJSqlParser.Dialect sqlDialect();

    /**
     * Functions a SELECT can call that change something: data, sequences, settings, locks, other sessions, server
     * files, replication; or that run SQL given as text, or reach another server. Lower case; a name ending in
     * {@code *} stands for every name it starts.
     */
    Set<String> sideEffectFunctions();

    /**
     * Why the engine could read a piece of text otherwise than the SQL parser did, or {@code null}: such text is
     * refused, since what the parser checked would not be what runs.
     *
     * @param text   a quoted string or name as the parser read it, or text the parser skipped between two tokens
     *               (blanks and comments)
     * @param quoted which of the two
     */
    String misreading(String text, boolean quoted);

    /**
     * Starts the session's read-only transaction, on one consistent snapshot, with a statement timeout; the session's
     * later transactions are read-only too. Only reads may follow. Checks first that the session sends one statement
     * per call (see {@link #sentAsOneStatement}).
     *
     * @throws ConfigurationException naming {@code sourceUrl} when the driver would run several statements in one call
     */
    void beginReadOnly(Connection connection, long statementTimeoutMs) throws SQLException;

    /**
     * Whether the driver sends the text to the engine as one statement. PostgreSQL's driver splits text at every
     * {@code ;} it sees outside quotes and comments and sends each part; MySQL's and MariaDB's send the text whole, and
     * a session that refuses several statements in one call (checked by {@link #beginReadOnly}) has the engine refuse
     * more than one.
     */
    boolean sentAsOneStatement(Connection connection, String sql) throws SQLException;

    /**
     * The privileges the session's user holds that could write to the source's database: each with what it applies
     * to, e.g. {@code INSERT on public.orders, public.customers}, or {@code superuser}. Empty for a user who can only
     * read.
     */
    List<String> writePrivileges(Connection connection) throws SQLException;

    /**
     * What shows that the session is still in the read-only transaction {@link #beginReadOnly} began, still read-only,
     * and has written nothing: the same text before and after every statement holding a user's text, or that
     * statement undid a wall.
     */
    String readOnlyState(Connection connection) throws SQLException;

    /**
     * An SQL expression giving each row a number from 0 to 2^32 - 1 from the columns' values and the seed: the same
     * row and seed give the same number in every run.
     *
     * @param columns quoted column names
     */
    String sampleHash(List<String> columns, long seed);

    /** The shipped read-only script that writes this engine's {@code stats.json} (see {@code StatisticsFile.script}). */
    String statisticsScript();

    /** The tables this one references through foreign keys (not itself). */
    default List<TableName> referencedTables(Connection connection, TableName table) throws SQLException {
        return foreignKeys(connection, table).stream().map(ForeignKey::parent).filter(p -> !p.equals(table)).distinct().toList();
    }

    /** The columns of each unique index, the primary key's included, by index name. */
    default Map<String, List<String>> uniqueKeys(Connection connection, TableName table) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(table.catalog(), table.schema(), table.name(), true, true)) {
            while (rs.next()) {
                if (rs.getString("COLUMN_NAME") != null && !rs.getBoolean("NON_UNIQUE")) {
                    keys.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        return keys;
    }

    /**
     * Loads the rows of a CSV file into its table through the engine's bulk path, streaming: memory does not grow
     * with the file. Runs in the caller's transaction.
     *
     * @param data the file's bytes, header row included
     * @return the rows loaded
     * @throws RowRejectedException when the engine refuses a row, naming it as well as the engine allows
     * @throws IOException          when the file cannot be read as CSV
     */
    long bulkLoad(Connection connection, CsvSource source, InputStream data, RehearsalListener listener)
            throws SQLException, IOException, RowRejectedException;

    /** Moves the table's identity, serial or auto-increment counters past the largest value the table holds. */
    void advanceSequences(Connection connection, TableName table) throws SQLException;

    /**
     * Recomputes the planner's statistics of the table from its rows, and whatever else of production's steady state
     * the planner reads (PostgreSQL's visibility map). Runs outside a transaction.
     */
    void analyze(Connection connection, TableName table) throws SQLException;

    /**
     * Gives the shadow's planner production's statistics of one table, as far as the engine allows.
     *
     * @return what could not be applied, one sentence each
     */
    List<String> applyStatistics(Connection connection, TableName table, TableStatistics statistics) throws SQLException;

    /**
     * Scales the planner's size thresholds by the sample's size over production's, for the shadow's sessions started
     * from now on, where the engine has such thresholds.
     *
     * @param productionPages the tables' pages in production, in the engine's page size
     * @return a sentence for the log saying what was set or why not, or empty when the engine has no such thresholds
     */
    default Optional<String> scalePlanner(Connection connection, List<TableName> tables, long productionPages)
            throws SQLException {
        return Optional.empty();
    }

    /** What calibrating production estimates needs of the engine: database copies, work counters, memory limits. */
    Measuring measuring();

    /** Copying a database from a template on its server, where the engine can; else empty. */
    default Optional<DatabaseTemplates> templates() {
        return Optional.empty();
    }

    /** Padding tables with empty pages, where the engine's planner costs a table by its real size in pages; else empty. */
    default Optional<PageStorage> storagePadding() {
        return Optional.empty();
    }

    /**
     * Reading which function results the database keeps (indexes, generated columns, checks), where a function's body
     * can change under them; else empty.
     */
    default Optional<StoredResults> storedResults() {
        return Optional.empty();
    }

    /** {@code INSERT INTO table (columns) <select>}, writing given values into identity columns too. */
    default String insertSelect(TableName table, List<String> columns, String select) {
        return "INSERT INTO " + table.sql(this) + " (" + columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ") " + select;
    }

    /** A column as the catalog describes it. */
    record Column(String name, Kind kind, boolean generated) {
        /** What scale-up can do to keep a unique value unique: offset a number, suffix a text, or neither. */
        public enum Kind { NUMBER, TEXT, OTHER }

        static Kind kind(int jdbcType) {
            return switch (jdbcType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL -> Kind.NUMBER;
                case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> Kind.TEXT;
                default -> Kind.OTHER;
            };
        }
    }

    /** One column of a foreign key and the parent column it references. */
    record ForeignKey(String column, TableName parent, String parentColumn) { }

    /** A foreign key, by its constraint's name: its columns reference the parent's columns, pair by pair. */
    record Reference(String name, List<String> columns, TableName parent, List<String> parentColumns) { }

    /**
     * The user tables, their storage identity, this session's scan counters and table locks, read on the
     * connection that runs the migration, inside its transaction: only there do uncommitted effects show.
     * Must not fail inside a healthy transaction, as a failure would abort the migration's transaction.
     */
    default TableSnapshot snapshot(Connection connection) throws SQLException {
        return TableSnapshot.NONE;
    }

    /**
     * The schema's objects, one line each (columns and their types, indexes, constraints, views, routines, triggers),
     * sorted: two lists differ when the schema does. Empty where the engine's aren't read.
     */
    default List<String> schemaObjects(Connection connection) throws SQLException {
        return List.of();
    }

    /**
     * The storage of each user table, in bytes: its whole (rows, TOAST, indexes) with {@code index} {@code null}, and,
     * where the engine tells, each of its indexes. Read outside a migration's transaction: sizes take no lock that
     * would outlast the read on an autocommit session.
     */
    default List<Storage> storage(Connection connection) throws SQLException {
        return List.of();
    }

    /** A table's or index's storage, in bytes. */
    record Storage(String table, String index, long bytes) { }

    /** Whether the statement that just ran in the session's transaction committed it implicitly, as DDL does on some engines. */
    default boolean committedImplicitly(Connection connection) throws SQLException {
        return false;
    }

    /** How long the session's statements wait for a lock before giving up, 0 for ever; empty where not read. */
    default OptionalLong lockTimeoutMs(Connection connection) throws SQLException {
        return OptionalLong.empty();
    }

    /** The id other sessions know this session by, when {@link #locksHeldBy} can watch it; else empty. */
    default OptionalLong sessionId(Connection connection) throws SQLException {
        return OptionalLong.empty();
    }

    /** The table locks a session holds, read from another session while the watched one runs a statement. */
    default Set<HeldLock> locksHeldBy(Connection observer, long sessionId) throws SQLException {
        return Set.of();
    }

    /**
     * Holds, on the gate session, a lock on the tables that blocks neither reads nor writes but makes a statement
     * needing a stronger lock on them queue, so that a lock held for a moment by a statement outside a transaction
     * is seen by {@link #locksHeldBy}: the watcher opens the gate ({@code rollback}) once the statement waits.
     *
     * @return whether the gate is closed; {@code false} where the engine has no such lock or a table is busy
     */
    default boolean closeGate(Connection gate, Collection<String> tables) throws SQLException {
        return false;
    }

    /** Telling what a waiting session waits for and who holds it up, where the engine shows it; else empty. */
    default Optional<LockWaits> lockWaits() {
        return Optional.empty();
    }

    /** Whether the session waits for a table lock now. */
    default boolean waitsForLock(Connection observer, long sessionId) throws SQLException {
        return false;
    }

    /** Whether changing a column from one type to another (as {@link TableState#columns()} write them) can lose values. */
    default boolean narrows(String fromType, String toType) {
        return false;
    }

    /**
     * On engines that pick an ALTER's algorithm themselves (MySQL/MariaDB): the algorithm and lock the server would
     * use for the statement, learned by trying it on an empty copy of its table ({@code CREATE TABLE … LIKE}) with
     * the cheapest algorithm and lock first. Runs on a session of its own, not the migration's, as the copy's DDL
     * commits. Empty where the engine doesn't choose, or the statement isn't such an ALTER. The refusals on the way
     * are expected and told at debug level; a failure that is no refusal is a warning, and leaves the choice unknown.
     */
    default Optional<AlterAlgorithm> alterAlgorithm(Connection session, String sql, RehearsalListener listener)
            throws SQLException {
        return Optional.empty();
    }

    /**
     * What the server chose for an ALTER of a table.
     *
     * @param algorithm e.g. {@code INSTANT}, {@code NOCOPY}, {@code INPLACE}, {@code COPY}
     * @param lock      the concurrency it allows during the ALTER as a lock mode {@link #blocks} knows, e.g. {@code LOCK=NONE}
     */
    record AlterAlgorithm(String table, String algorithm, String lock) { }

    /** Which plain reads and writes of other sessions a lock of this mode blocks. */
    default Set<Access> blocks(String lockMode) {
        return Set.of();
    }

    /**
     * The query's plan, from the engine's JSON EXPLAIN. With {@code analyze} the query runs once and the plan carries
     * its actual rows and times (PostgreSQL {@code EXPLAIN (ANALYZE, BUFFERS)}, MariaDB {@code ANALYZE}, MySQL
     * 8.0.18+ {@code EXPLAIN ANALYZE} for the time); the caller decides the transaction it runs in.
     */
    Plan explain(Connection connection, String sql, boolean analyze) throws SQLException;

    /** The planner's row count of a table, where a plan's relation names one; empty when it doesn't (an alias). */
    default OptionalLong plannerRows(Connection connection, String relation) throws SQLException {
        return OptionalLong.empty();
    }

    /** A table as the catalog names it. {@code catalog} or {@code schema} is {@code null} where the engine has none. */
    record TableName(String catalog, String schema, String name) {
        /** The name as SQL writes it, quoted. */
        public String sql(Dialect dialect) {
            String container = schema != null ? schema : catalog;
            return (container == null ? "" : dialect.quote(container) + ".") + dialect.quote(name);
        }
    }
}
