package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code schema:sample} against sources whose user can write, with every statement the server receives logged
 * (PostgreSQL 15 with {@code log_statement = 'all'}, MariaDB 10.11 with its general log in a table): the attacks of
 * {@code sample.json} and {@code queries.sql} fail with their file and line, the table is unchanged, and the writer's
 * session sent the server nothing but reads. The walls behind the parser are then tried one by one on the tool's own
 * session, as a second writer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlySourceIT {
    /** In every attack: were any of it to reach the server, its log would show this. */
    private static final String MARKER = "pwned";
    /** Statements that read, or only steer the session and its read-only transaction. */
    private static final Pattern READ = Pattern.compile("(?i)(SELECT|WITH|SHOW|SET|BEGIN|START TRANSACTION|ROLLBACK"
            + "|SAVEPOINT|RELEASE|EXPLAIN)\\b.*", Pattern.DOTALL);
    /** Words of statements that write or end a transaction, anywhere in one (a WITH may hide them). */
    private static final Pattern WRITE = Pattern.compile("(?i).*\\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COMMIT|INTO|DROP"
            + "|CREATE|ALTER|GRANT|LOCK)\\b.*", Pattern.DOTALL);

    private PostgreSQLContainer postgres;
    private ShadowDatabase mariadbServer;
    private ShadowDatabase mariadb;

    @BeforeAll
    void start() throws SQLException {
        postgres = new PostgreSQLContainer("postgres:15").withDatabaseName("shop")
                .withCommand("postgres", "-c", "fsync=off", "-c", "log_statement=all", "-c", "log_line_prefix=user=%u ");
        postgres.start();
        mariadbServer = TestShadows.container(Engine.MARIADB, "mariadb:10.11");
        mariadb = TestShadows.scratch(mariadbServer);
        for (Engine engine : List.of(Engine.POSTGRESQL, Engine.MARIADB)) {
            try (Connection admin = admin(engine); Statement statement = admin.createStatement()) {
                statement.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, total INT NOT NULL)");
                statement.execute("INSERT INTO items VALUES (1, 'one', 5), (2, 'two', 15), (3, 'three', 25)");
                for (String writer : List.of("app", "app_raw")) {
                    if (engine == Engine.POSTGRESQL) {
                        statement.execute("CREATE ROLE " + writer + " LOGIN PASSWORD 'app'");
                        statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON items TO " + writer);
                    } else {
                        statement.execute("CREATE USER '" + writer + "'@'%' IDENTIFIED BY 'app'");
                        statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + mariadbDatabase(statement)
                                + ".* TO '" + writer + "'@'%'");
                    }
                }
                if (engine == Engine.MARIADB) {
                    statement.execute("SET GLOBAL log_output = 'TABLE'");
                    statement.execute("SET GLOBAL general_log = 'ON'");
                }
            }
        }
    }

    @AfterAll
    void stop() {
        if (mariadb != null) {
            mariadb.close();
        }
        if (mariadbServer != null) {
            mariadbServer.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void attacksInSampleJsonAndQueriesSqlFailWithTheirLineAndOnlyReadsReachTheServer(Engine engine, @TempDir Path project)
            throws Exception {
        String before = items(engine);
        String begin = engine == Engine.POSTGRESQL ? "BEGIN READ WRITE" : "START TRANSACTION READ WRITE";
        List<String> wheres = List.of(
                "total > 10) ORDER BY 1 LIMIT 1; COMMIT; " + begin + "; INSERT INTO items VALUES (1000, '" + MARKER
                        + "', 1); COMMIT; BEGIN; SELECT * FROM items WHERE (true",
                "total > 10 -- " + MARKER + "\n; DELETE FROM items",
                "id IN (SELECT id FROM items FOR UPDATE) OR name = '" + MARKER + "'",
                engine == Engine.POSTGRESQL ? "set_config('default_transaction_read_only', 'off', false) = '" + MARKER + "'"
                        : "total > 1 /*! OR 1 = 1; DELETE FROM items WHERE name <> '" + MARKER + "' */");
        for (String where : wheres) {
            Files.writeString(project.resolve("sample.json"), "{\n  \"tables\": {\n    \"items\": {\"where\": "
                    + json(where) + "}}}\n");
            ConfigurationException refused = catchThrowableOfType(ConfigurationException.class,
                    () -> sample(engine, project, "app", true));
            assertThat(refused).as(where).isNotNull();
            assertThat(refused.parameter()).isEqualTo("sampleConfig");
            assertThat(refused.getMessage()).as(where).startsWith(project.resolve("sample.json") + ":3: $.tables.items.where: ");
        }

        Files.writeString(project.resolve("sample.json"), "{\"tables\": {\"items\": {\"where\": \"total > 10\"}}}");
        List<String> queries = new ArrayList<>(List.of(
                "SELECT 1; COMMIT; " + begin + "; INSERT INTO items VALUES (1000, '" + MARKER + "', 1)",
                "SELECT * FROM items INTO OUTFILE '/tmp/" + MARKER + "'",
                "SELECT id FROM items /* " + MARKER + " */ FOR UPDATE",
                "SELECT 1 -- " + MARKER + "\n; DELETE FROM items"));
        queries.add(engine == Engine.POSTGRESQL
                ? "WITH gone AS (DELETE FROM items WHERE name <> '" + MARKER + "' RETURNING id) SELECT id FROM gone"
                : "SELECT GET_LOCK('" + MARKER + "', 1)");
        for (String query : queries) {
            Files.writeString(project.resolve("queries.sql"), "-- name: fine\nSELECT id FROM items;\n\n-- name: attack\n"
                    + query + ";\n");
            ConfigurationException refused = catchThrowableOfType(ConfigurationException.class,
                    () -> sample(engine, project, "app", true));
            assertThat(refused).as(query).isNotNull();
            assertThat(refused.parameter()).isEqualTo("queries");
            assertThat(refused.getMessage()).as(query).startsWith(project.resolve("queries.sql") + ":"
                    + (query.contains("\n;") ? 6 : 5) + ": query 'attack' is not sent to the source: ");
        }

        // The writer is refused as it is, before anything is read; allowed, it samples with only reads.
        Files.writeString(project.resolve("queries.sql"), "-- name: fine\nSELECT id FROM items WHERE total > 10;\n");
        assertThatThrownBy(() -> sample(engine, project, "app", false)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the source user app can write to").hasMessageContaining("INSERT on ");
        List<RehearsalEvent> events = sample(engine, project, "app", true);
        assertThat(events).anyMatch(e -> e.message().startsWith("WRITABLE SOURCE"));
        assertThat(Files.readAllLines(project.resolve("data/items.csv"))).hasSize(3);
        assertThat(Files.readString(project.resolve("plans.json"))).contains("\"fine\"");

        assertThat(items(engine)).isEqualTo(before);
        List<String> sent = statementsOf(engine, "app");
        // The sample that ran: its rule's query and its plan, both as reads.
        assertThat(sent).anyMatch(s -> s.contains("total > 10")).anyMatch(s -> s.toUpperCase(Locale.ROOT).startsWith("EXPLAIN"));
        assertThat(sent).allSatisfy(statement -> assertThat(statement).doesNotContain(MARKER)
                .satisfies(s -> assertThat(code(s)).matches(READ)
                        // SHOW only shows, whatever it names (SHOW GRANTS, SHOW CREATE TABLE).
                        .satisfiesAnyOf(c -> assertThat(c).startsWithIgnoringCase("SHOW "),
                                c -> assertThat(c).doesNotMatch(WRITE))));
    }

    /**
     * What the walls are for: the drivers as the sample used them run every statement of the text, so a read-only
     * transaction is left and a write committed.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void withoutTheWallsOneCallLeavesTheReadOnlyTransactionAndWrites(Engine engine) throws Exception {
        String url = engine == Engine.POSTGRESQL ? postgres.getJdbcUrl()
                : url(engine) + (url(engine).contains("?") ? "&" : "?") + "rewriteBatchedStatements=true";
        try (Connection plain = DriverManager.getConnection(url, "app_raw", "app"); Statement statement = plain.createStatement()) {
            plain.setAutoCommit(false);
            statement.execute(engine == Engine.POSTGRESQL ? "SET TRANSACTION READ ONLY" : "START TRANSACTION READ ONLY");
            statement.execute("SELECT 1; COMMIT; " + (engine == Engine.POSTGRESQL ? "BEGIN READ WRITE"
                    : "START TRANSACTION READ WRITE") + "; INSERT INTO items VALUES (999, 'shown', 1); COMMIT");
        }
        try (Connection admin = admin(engine); Statement statement = admin.createStatement()) {
            assertThat(items(engine)).contains("999,shown,1;");
            statement.execute("DELETE FROM items WHERE id = 999");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void theWallsBehindTheParserHoldOnTheToolsOwnSession(Engine engine) throws Exception {
        String before = items(engine);
        String attack = "SELECT 1; COMMIT; " + (engine == Engine.POSTGRESQL ? "BEGIN READ WRITE" : "START TRANSACTION READ WRITE")
                + "; INSERT INTO items VALUES (1000, '" + MARKER + "', 1)";
        // Text that got past the parser: PostgreSQL's session refuses to send it, MariaDB's server refuses to run it.
        try (Source source = Source.open(url(engine), "app_raw", "app", 60_000)) {
            if (engine == Engine.POSTGRESQL) {
                assertThatThrownBy(() -> source.userStatement("queries", "queries.sql:2: query 'attack'", attack,
                        () -> run(source, attack))).isInstanceOf(ConfigurationException.class)
                        .hasMessage("queries.sql:2: query 'attack': the driver would send it as more than one statement");
            } else {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> source.userStatement("queries",
                        "queries.sql:2: query 'attack'", attack, () -> run(source, attack)));
                assertThat(refused.getErrorCode()).as(refused.getMessage()).isEqualTo(1064);
            }
        }
        // A session that left its read-only transaction is caught at the next check, and nothing more is sent.
        try (Source source = Source.open(url(engine), "app_raw", "app", 60_000)) {
            source.checkReadOnly("queries", "queries.sql:2: query 'attack'");
            run(source, "COMMIT");
            assertThatThrownBy(() -> source.checkReadOnly("queries", "queries.sql:2: query 'attack'"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("queries.sql:2: query 'attack': the source session is no longer as it began "
                            + "its read-only transaction");
        }
        // A URL asking for several statements per call is refused before connecting.
        String many = engine == Engine.POSTGRESQL ? "preferQueryMode=simple" : "allowMultiQueries=true";
        assertThatThrownBy(() -> Source.open(url(engine) + (url(engine).contains("?") ? "&" : "?") + many, "app_raw", "app",
                60_000)).isInstanceOf(ConfigurationException.class).hasMessageContaining(many);
        assertThat(items(engine)).isEqualTo(before);
        // PostgreSQL's server never saw the attack; MariaDB's saw it once, whole, in the call it refused.
        assertThat(statementsOf(engine, "app_raw")).filteredOn(s -> s.contains(MARKER))
                .isEqualTo(engine == Engine.POSTGRESQL ? List.of() : List.of(attack));
    }

    private static Void run(Source source, String sql) throws SQLException {
        try (Statement statement = source.connection().createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    private List<RehearsalEvent> sample(Engine engine, Path project, String user, boolean allowWritableSource) {
        List<RehearsalEvent> events = new ArrayList<>();
        Sample.Builder builder = Sample.configure().projectDirectory(project).source(url(engine), user, "app")
                .config(Path.of("sample.json")).dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                .reportDirectory(Path.of("report")).productionPlans(Path.of("plans.json"))
                .allowWritableSource(allowWritableSource);
        if (Files.exists(project.resolve("queries.sql"))) {
            builder.queries(Path.of("queries.sql"));
        }
        builder.load().run(events::add);
        return events;
    }

    private String url(Engine engine) {
        return engine == Engine.POSTGRESQL ? postgres.getJdbcUrl()
                : mariadb.endpoint().url().replaceFirst("([?&])user=[^&]*&?", "$1").replaceFirst("([?&])password=[^&]*&?", "$1");
    }

    private Connection admin(Engine engine) throws SQLException {
        return engine == Engine.POSTGRESQL
                ? DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())
                : mariadb.connect(Purpose.ADMIN);
    }

    private static String mariadbDatabase(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The table's rows, as the server lists them. */
    private String items(Engine engine) throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (Connection admin = admin(engine); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, name, total FROM items ORDER BY id")) {
            while (rs.next()) {
                rows.append(rs.getInt(1)).append(',').append(rs.getString(2)).append(',').append(rs.getInt(3)).append(';');
            }
        }
        return rows.toString();
    }

    /** Every statement the server logged for the user's sessions, comments in front of it removed. */
    private List<String> statementsOf(Engine engine, String user) throws Exception {
        List<String> statements = new ArrayList<>();
        if (engine == Engine.MARIADB) {
            try (Connection admin = mariadbServer.connect(Purpose.ADMIN); Statement statement = admin.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT CAST(argument AS CHAR) FROM mysql.general_log "
                         + "WHERE user_host LIKE '" + user + "[" + user + "]%' AND command_type IN ('Query', 'Execute', "
                         + "'Prepare') ORDER BY event_time")) {
                while (rs.next()) {
                    statements.add(rs.getString(1).replaceFirst("^(\\s*/\\*.*?\\*/)*\\s*", ""));
                }
            }
            return statements;
        }
        // The log reaches the container's output a moment later: wait for a statement logged after the user's.
        String marker = "log-marker-" + UUID.randomUUID();
        try (Connection admin = admin(engine); Statement statement = admin.createStatement()) {
            statement.execute("SELECT '" + marker + "'");
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!postgres.getLogs().contains(marker)) {
            assertThat(Instant.now()).as("the log shows " + marker).isBefore(deadline);
            Thread.sleep(100);
        }
        // Each entry starts a line with its prefix; a statement's later lines follow it unprefixed.
        Matcher logged = Pattern.compile("(?ms)^user=" + user + " LOG:  (?:statement|execute [^:]*): (.*?)(?=^user=|\\z)")
                .matcher(postgres.getLogs());
        while (logged.find()) {
            statements.add(logged.group(1).strip());
        }
        return statements;
    }

    /** The statement without its comments and string literals, whose words are not the statement's. */
    private static String code(String statement) {
        return statement.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ").replaceAll("'(?:[^']|'')*'", "''")
                .strip();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
