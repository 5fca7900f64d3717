package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The closure at scale on PostgreSQL 15 (a container logging every statement) and MariaDB 10.11 (its general log in a
 * table): what reaches the server per round, the plan the server makes of it, {@code via} rules, the dry run and the
 * refusals, measured on the server rather than timed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClosureIT {
    private static final String SCHEMA = """
            CREATE TABLE customers (id BIGINT PRIMARY KEY, referrer_id BIGINT, name VARCHAR(40) NOT NULL,
              CONSTRAINT customers_referrer FOREIGN KEY (referrer_id) REFERENCES customers (id));
            CREATE TABLE products (sku VARCHAR(20), variant INT, title VARCHAR(40) NOT NULL, PRIMARY KEY (sku, variant));
            CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,
              CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id));
            CREATE TABLE order_items (order_id BIGINT, line INT, sku VARCHAR(20) NOT NULL, variant INT NOT NULL,
              qty INT NOT NULL, PRIMARY KEY (order_id, line),
              CONSTRAINT order_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
              CONSTRAINT order_items_product FOREIGN KEY (sku, variant) REFERENCES products (sku, variant))
            """;

    private PostgreSQLContainer postgres;
    private ShadowDatabase mariadbServer;

    @BeforeAll
    void start() throws SQLException {
        postgres = new PostgreSQLContainer("postgres:15").withDatabaseName("shop")
                .withCommand("postgres", "-c", "fsync=off", "-c", "log_statement=all", "-c", "log_line_prefix=user=%u ");
        postgres.start();
        mariadbServer = TestShadows.container(Engine.MARIADB, "mariadb:10.11");
        try (Connection admin = mariadbServer.connect(Purpose.ADMIN); Statement statement = admin.createStatement()) {
            statement.execute("SET GLOBAL log_output = 'TABLE'");
            statement.execute("SET GLOBAL general_log = 'ON'");
        }
    }

    @AfterAll
    void stop() {
        if (mariadbServer != null) {
            mariadbServer.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    /**
     * A source of 2,000 customers referring each other, 5,000 products keyed (sku, variant), 20,000 orders and 60,000
     * items; on PostgreSQL nothing indexes order_items(sku, variant), while InnoDB indexes every foreign key itself.
     */
    private final class Source implements AutoCloseable {
        final Engine engine;
        final String url;
        final String adminUser;
        final String adminPassword;
        final ShadowDatabase scratch;
        final SelectOnlyUser.Credentials reader;
        final List<RehearsalEvent> events = new ArrayList<>();

        Source(Engine engine) throws SQLException {
            this.engine = engine;
            if (engine == Engine.POSTGRESQL) {
                String database = "shop_" + UUID.randomUUID().toString().substring(0, 8);
                try (Connection admin = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                        postgres.getPassword()); Statement statement = admin.createStatement()) {
                    statement.execute("CREATE DATABASE " + database);
                }
                url = postgres.getJdbcUrl().replace("/shop", "/" + database);
                adminUser = postgres.getUsername();
                adminPassword = postgres.getPassword();
                scratch = null;
            } else {
                scratch = TestShadows.scratch(mariadbServer);
                url = scratch.endpoint().url();
                adminUser = scratch.endpoint().user();
                adminPassword = scratch.endpoint().password();
            }
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                for (String sql : SCHEMA.split(";\n")) {
                    statement.execute(sql);
                }
                boolean pg = engine == Engine.POSTGRESQL;
                String series = pg ? "generate_series(1, %d) AS s(i)" : "seq_1_to_%d AS s";
                String i = pg ? "i" : "seq";
                String text = pg ? "CAST(%s AS TEXT)" : "%s";
                if (!pg) {
                    statement.execute("SET foreign_key_checks = 0");
                }
                statement.execute("INSERT INTO customers SELECT " + i + ", CASE WHEN " + i + " > 1 THEN FLOOR(" + i
                        + " / 2) END, CONCAT('Customer ', " + i + ") FROM " + String.format(series, 2000));
                statement.execute("INSERT INTO products SELECT CONCAT('S', " + String.format(text, i + " % 100") + "), FLOOR("
                        + i + " / 100), 'a product' FROM " + String.format(series.replace("1, %d", "0, %d")
                        .replace("1_to_%d", "0_to_%d"), 4999));
                statement.execute("INSERT INTO orders SELECT " + i + ", 1 + (" + i + " * 7) % 2000 FROM "
                        + String.format(series, 20000));
                for (int line = 1; line <= 3; line++) {
                    statement.execute("INSERT INTO order_items SELECT " + i + ", " + line + ", CONCAT('S', "
                            + String.format(text, "(" + i + " * 3 + " + line + ") % 100") + "), (" + i + " + " + line
                            + ") % 50, " + line + " FROM " + String.format(series, 20000));
                }
                statement.execute(pg ? "ANALYZE" : "ANALYZE TABLE customers, products, orders, order_items");
                reader = SelectOnlyUser.create(admin, engine);
            }
        }

        Connection admin() throws SQLException {
            return DriverManager.getConnection(url, adminUser, adminPassword);
        }

        SampleResult sample(Path project, String config, long timeoutMs, boolean dryRun) throws Exception {
            Files.writeString(project.resolve("sample.json"), config);
            return Sample.configure().projectDirectory(project)
                    .source(reader.url(url), reader.user(), reader.password())
                    .config(Path.of("sample.json")).seed(3).dataDirectory(Path.of("data"))
                    .statistics(Path.of("stats.json")).reportDirectory(Path.of("report"))
                    .statementTimeoutMs(timeoutMs).dryRun(dryRun)
                    .load().run(events::add);
        }

        SampleResult sample(Path project, String config) throws Exception {
            return sample(project, config, 60_000, false);
        }

        /** Every statement the server logged for the reader's sessions. */
        List<String> statements() throws Exception {
            List<String> statements = new ArrayList<>();
            if (engine == Engine.MARIADB) {
                try (Connection admin = mariadbServer.connect(Purpose.ADMIN); Statement statement = admin.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT CAST(argument AS CHAR) FROM mysql.general_log "
                             + "WHERE user_host LIKE '" + reader.user() + "[" + reader.user() + "]%' AND command_type "
                             + "= 'Query' ORDER BY event_time")) {
                    while (rs.next()) {
                        statements.add(rs.getString(1).replaceFirst("^(\\s*/\\*.*?\\*/)*\\s*", ""));
                    }
                }
                return statements;
            }
            // The log reaches the container's output a moment later: wait for a statement logged after the reader's.
            String marker = "log-marker-" + UUID.randomUUID();
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                statement.execute("SELECT '" + marker + "'");
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!postgres.getLogs().contains(marker)) {
                assertThat(Instant.now()).as("the log shows " + marker).isBefore(deadline);
                Thread.sleep(100);
            }
            // A streamed result's later fetches are logged as "execute fetch from": the same statement, not a new one.
            Matcher logged = Pattern.compile("(?ms)^user=" + reader.user() + " LOG:  (?:statement|execute (?!fetch from)"
                    + "[^:]*): (.*?)(?=^user=|\\z)").matcher(postgres.getLogs());
            while (logged.find()) {
                statements.add(logged.group(1).strip());
            }
            return statements;
        }

        /** The statements that read the table's rows: SELECTs that name it quoted, as the tool writes table names. */
        List<String> reading(String table) throws Exception {
            return statements().stream().filter(s -> s.regionMatches(true, 0, "SELECT", 0, 6) && s.contains(quoted(table)))
                    .toList();
        }

        String quoted(String table) {
            return engine == Engine.POSTGRESQL ? "\"public\".\"" + table + "\"" : "`" + table + "`";
        }

        @Override
        public void close() throws Exception {
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aCompositeForeignKeyIsLookedUpWithOneStatementPerRoundWhateverItsIndexes(Engine engine, @TempDir Path project)
            throws Exception {
        try (Source source = new Source(engine)) {
            // 40 % of the products: some 2,000 composite keys, which batches of 1,000 would have sent in two or more.
            SampleResult result = source.sample(project, """
                    {"tables": {"products": {"percent": 40}, "order_items": {"via": ["sku, variant"]}}}
                    """);
            Set<List<String>> products = new HashSet<>(csv(project.resolve("data/products.csv"), "sku", "variant"));
            assertThat(products).hasSizeGreaterThan(1500);
            List<List<String>> items = csv(project.resolve("data/order_items.csv"), "sku", "variant");
            // Every item of a sampled product, and no other.
            assertThat(items).allMatch(products::contains);
            long expected;
            try (Connection admin = source.admin(); Statement statement = admin.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT sku, variant FROM order_items")) {
                long count = 0;
                while (rs.next()) {
                    count += products.contains(List.of(rs.getString(1), rs.getString(2))) ? 1 : 0;
                }
                expected = count;
            }
            assertThat((long) items.size()).isEqualTo(expected).isGreaterThan(10_000);
            assertThat(table(result, "order_items").addedVia()).containsOnlyKeys(
                    "order_items(sku, variant) -> products(sku, variant)");

            // What reached the server: one statement read order_items, in the one round that had keys for it.
            List<String> reads = source.reading("order_items");
            assertThat(reads).singleElement();
            String lookup = reads.get(0);
            assertThat(source.events).anyMatch(e -> e.message().startsWith("Round 1, order_items: +" + String.format("%,d",
                    expected) + " rows") && e.message().contains(", 1 statement(s)"));

            // How the server runs it.
            List<List<String>> keys = new ArrayList<>(products);
            if (engine == Engine.POSTGRESQL) {
                assertThat(result.plan()).anyMatch(line -> line.contains("rows referencing sampled products along "
                        + "order_items(sku, variant) -> products(sku, variant), every one: one scan per round with a "
                        + "hash join (no index on order_items(sku, variant))"));
                String plan = explainPostgres(source, lookup, keys);
                // One sequential scan of order_items, probing a hash of the keys: no scan per key or per batch.
                assertThat(count(plan, "\"Node Type\": \"Seq Scan\"")).isEqualTo(1);
                assertThat(plan).contains("\"Relation Name\": \"order_items\"").contains("\"Node Type\": \"Hash Join\"")
                        .doesNotContain("Nested Loop");
            } else {
                assertThat(result.plan()).anyMatch(line -> line.contains("along order_items(sku, variant) -> "
                        + "products(sku, variant), every one: index order_items_product"));
                List<Map<String, String>> plan = explainMariadb(source, lookup);
                // The keys are read once, and each looks order_items up by the foreign key's index.
                assertThat(plan).anySatisfy(row -> {
                    assertThat(row.get("table")).isEqualTo("sr_t");
                    assertThat(row.get("type")).isIn("ref", "eq_ref");
                    assertThat(row.get("key")).isEqualTo("order_items_product");
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void manyKeysOfAnIndexedForeignKeyAreLookedUpInTheScanAnUnindexedOneNeeds(Engine engine, @TempDir Path project)
            throws Exception {
        try (Source source = new Source(engine)) {
            // 1,000 sampled orders: more keys than 0.2 % of the 60,000 items, so on PostgreSQL, where the products'
            // foreign key has no index, they go in the same scan of order_items as the 250 products' keys.
            source.sample(project, """
                    {"tables": {"orders": {"percent": 5}, "products": {"percent": 5},
                                "order_items": {"via": ["order_id", "sku, variant"], "referencing": 4000}}}
                    """);
            Set<String> orders = csv(project.resolve("data/orders.csv"), "id").stream().map(r -> r.get(0))
                    .collect(Collectors.toSet());
            Set<List<String>> products = new HashSet<>(csv(project.resolve("data/products.csv"), "sku", "variant"));
            List<List<String>> items = csv(project.resolve("data/order_items.csv"), "order_id", "sku", "variant");
            assertThat(items).hasSize(4000).allMatch(item -> orders.contains(item.get(0))
                    && products.contains(item.subList(1, 3)));
            boolean pg = engine == Engine.POSTGRESQL;
            assertThat(source.events).anyMatch(e -> e.message().startsWith("Round 1, order_items: +4,000 rows")
                    && e.message().contains(pg ? ", 1 statement(s)" : ", 2 statement(s)"));
            if (pg) {
                List<String> reads = source.reading("order_items");
                assertThat(reads).singleElement();
                // Each key set distinct and hashed, the table read once: no index probe, no hash of order_items.
                String plan;
                try (Connection admin = source.admin();
                     PreparedStatement explain = admin.prepareStatement("EXPLAIN (FORMAT JSON) "
                             + reads.get(0).replaceAll("\\$\\d+", "?"))) {
                    explain.setArray(1, admin.createArrayOf("text", orders.toArray()));
                    explain.setArray(2, admin.createArrayOf("text", products.stream().map(p -> p.get(0)).toArray()));
                    explain.setArray(3, admin.createArrayOf("text", products.stream().map(p -> p.get(1)).toArray()));
                    try (ResultSet rs = explain.executeQuery()) {
                        rs.next();
                        plan = rs.getString(1);
                    }
                }
                assertThat(count(plan, "\"Node Type\": \"Seq Scan\"")).isEqualTo(1);
                assertThat(count(plan, "\"Node Type\": \"Hash Join\"")).isEqualTo(2);
                assertThat(count(plan, "\"Join Type\": \"Left\"")).isEqualTo(2);
                assertThat(plan).doesNotContain("Nested Loop").doesNotContain("Index");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void viaTakesTheItemsOfTheSampledOrdersOnly(Engine engine, @TempDir Path project) throws Exception {
        try (Source source = new Source(engine)) {
            SampleResult only = source.sample(project, """
                    {"tables": {"orders": {"percent": 5}, "order_items": {"via": ["order_items_order"]}}}
                    """);
            Set<String> orders = csv(project.resolve("data/orders.csv"), "id").stream().map(r -> r.get(0))
                    .collect(Collectors.toSet());
            List<String> itemOrders = csv(project.resolve("data/order_items.csv"), "order_id").stream()
                    .map(r -> r.get(0)).toList();
            assertThat(orders).hasSizeGreaterThan(500);
            assertThat(itemOrders).hasSize(3 * orders.size()).allMatch(orders::contains);
            assertThat(table(only, "orders").rows()).isEqualTo(table(only, "orders").selected());
            if (engine == Engine.POSTGRESQL) {
                // An index serves order_id: the session turns hash and merge joins off before the lookup, and with
                // them off the server probes the index for each key rather than reading order_items whole.
                List<String> logged = source.statements();
                String lookup = source.reading("order_items").get(0);
                int at = logged.indexOf(lookup);
                assertThat(logged.subList(0, at)).containsSubsequence("SET LOCAL enable_hashjoin TO off",
                        "SET LOCAL enable_mergejoin TO off");
                String plan;
                try (Connection admin = source.admin(); Statement set = admin.createStatement()) {
                    admin.setAutoCommit(false);
                    set.execute("SET LOCAL enable_hashjoin TO off");
                    set.execute("SET LOCAL enable_mergejoin TO off");
                    try (PreparedStatement explain = admin.prepareStatement("EXPLAIN (FORMAT JSON) "
                            + lookup.replaceAll("\\$\\d+", "?"))) {
                        explain.setArray(1, admin.createArrayOf("text", orders.toArray()));
                        try (ResultSet rs = explain.executeQuery()) {
                            rs.next();
                            plan = rs.getString(1);
                        }
                    }
                    admin.rollback();
                }
                assertThat(plan).contains("\"Node Type\": \"Index Scan\"").contains("\"Index Name\": \"order_items_pkey\"")
                        .doesNotContain("Seq Scan");
            }

            // Without via, the items of every sampled parent: those of the sampled orders' products too.
            SampleResult every = source.sample(project, """
                    {"tables": {"orders": {"percent": 5}, "order_items": {"referencing": 1000000}}}
                    """);
            assertThat(table(every, "order_items").rows()).isGreaterThan(10L * itemOrders.size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aDryRunPrintsThePlanWithItsEstimateAndReadsNoRow(Engine engine, @TempDir Path project) throws Exception {
        try (Source source = new Source(engine)) {
            SampleResult result = source.sample(project, """
                    {"tables": {"orders": {"percent": 10, "where": "customer_id > 1000"},
                                "order_items": {"via": ["order_id"]}}}
                    """, 60_000, true);
            assertThat(result.tables()).isEmpty();
            assertThat(project.resolve("data")).doesNotExist();
            assertThat(project.resolve("report")).doesNotExist();
            List<String> logged = source.events.stream().map(RehearsalEvent::message).toList();
            assertThat(logged).containsSequence(result.plan());
            assertThat(result.plan().get(0)).matches("Closure plan, before any row is read: ~[0-9,]+ rows expected, "
                    + "estimated from the source's statistics");
            // About half the orders pass the where rule, 10 % of those are taken, with 3 items each. MariaDB's
            // statistics count rows roughly, and its planner gives the rows a rule examines, not those it admits.
            assertThat(result.plan()).anySatisfy(line -> assertThat(line).matches(
                    "  orders \\([0-9,]+ rows\\): ~[0-9,]+ rows = (8[0-9]{2}|9[0-9]{2}|1,[0-9]{3}|2,0[0-9]{2}) by its "
                            + "rule \\(10.0 %, where\\).*"));
            assertThat(result.plan()).anySatisfy(line -> assertThat(line).matches(
                    "  order_items \\([0-9,]+ rows\\): ~(2,[4-9]|[3-6],[0-9])[0-9]{2} rows = 0 by its rule \\+ ~0 "
                            + "referenced \\+ ~[0-9,]+ referencing"));
            assertThat(result.plan()).anyMatch(line -> line.startsWith("    rows referencing sampled orders along "
                    + "order_items(order_id) -> orders(id), every one: index "));
            assertThat(logged).contains("Dry run: the plan above is all; no row was read and no file written");
            // The server saw the catalog's queries and a plain EXPLAIN of the where rule, and nothing that reads rows.
            for (String table : List.of("customers", "products", "orders", "order_items")) {
                assertThat(source.reading(table)).as(table).isEmpty();
            }
            assertThat(source.statements()).anyMatch(s -> s.startsWith("EXPLAIN") && s.contains(source.quoted("orders")));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aViaNamingNoForeignKeyOrALimitlessCycleIsRefusedBeforeAnyRowIsRead(Engine engine, @TempDir Path project)
            throws Exception {
        try (Source source = new Source(engine)) {
            Path file = project.resolve("sample.json");
            ConfigurationException none = catchThrowableOfType(ConfigurationException.class, () -> source.sample(project,
                    "{\"tables\": {\"orders\": {\"percent\": 5},\n  \"order_items\": {\"via\": [\"order_id\", \"sku\"]}}}"));
            assertThat(none.parameter()).isEqualTo("sampleConfig");
            assertThat(none.getMessage()).isEqualTo(file + ":2: $.tables.order_items.via[1]: \"sku\" names no foreign key "
                    + "of order_items");
            assertThat(none.fix()).contains("order_items_order (order_id) -> orders(id)")
                    .contains("order_items_product (sku, variant) -> products(sku, variant)");

            ConfigurationException cycle = catchThrowableOfType(ConfigurationException.class, () -> source.sample(project,
                    "{\"tables\": {\"orders\": {\"percent\": 5},\n  \"order_items\": {\"via\": [\"order_id\",\n"
                            + "\"sku, variant\"]}}}"));
            assertThat(cycle.getMessage()).startsWith(file + ":2: $.tables.order_items.via[0]: ")
                    .contains("followed without a limit cannot close");
            assertThat(cycle.fix()).isEqualTo("set $.tables.order_items.referencing to the most rows to take this way, "
                    + "or remove \"order_id\" from $.tables.order_items.via");
            assertThat(project.resolve("data")).doesNotExist();
            for (String table : List.of("customers", "products", "orders", "order_items")) {
                assertThat(source.reading(table)).as(table).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void theStatementTimeoutTheUserSetsStopsARuleThatRunsLonger(Engine engine, @TempDir Path project) throws Exception {
        try (Source source = new Source(engine)) {
            String slow = engine == Engine.POSTGRESQL ? "pg_sleep(0.5 + 0 * id) IS NULL" : "SLEEP(0.5 + 0 * id) = 0";
            assertThatThrownBy(() -> source.sample(project, "{\"tables\": {\"orders\": {\"where\": \"" + slow + "\"}}}",
                    300, false))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("reading orders by its rule ran longer than the statement timeout")
                    .satisfies(e -> assertThat(((ConfigurationException) e).parameter()).isEqualTo("statementTimeoutMs"));
            assertThat(project.resolve("data")).doesNotExist();
        }
    }

    private static TableSample table(SampleResult result, String name) {
        return result.tables().stream().filter(t -> t.table().equals(name)).findFirst().orElseThrow();
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** The logged statement's plan with the keys bound as the tool binds them. */
    private static String explainPostgres(Source source, String sql, List<List<String>> keys) throws SQLException {
        try (Connection admin = source.admin();
             PreparedStatement statement = admin.prepareStatement("EXPLAIN (FORMAT JSON) " + sql.replaceAll("\\$\\d+", "?"))) {
            for (int c = 0; c < 2; c++) {
                int column = c;
                Array array = admin.createArrayOf("text", keys.stream().map(k -> k.get(column)).toArray());
                statement.setArray(c + 1, array);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The logged statement's plan, as MariaDB's tabular EXPLAIN lists it, one map per row. */
    private static List<Map<String, String>> explainMariadb(Source source, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection admin = source.admin(); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                Map<String, String> row = new java.util.HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Columns of a sample CSV, each row as a list of values. */
    private static List<List<String>> csv(Path file, String... columns) throws Exception {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = dev.schemarehearsal.harness.dialect.CsvSource.format(null).parse(reader)) {
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                List<String> row = new ArrayList<>();
                for (String column : columns) {
                    row.add(record.get(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
