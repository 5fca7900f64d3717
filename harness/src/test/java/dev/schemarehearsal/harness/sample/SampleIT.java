package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.CsvSource;
import dev.schemarehearsal.harness.dialect.Dialect;
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
import org.junit.jupiter.params.provider.ValueSource;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code schema:sample} on real engines: embedded PostgreSQL 15 and a MariaDB 10.11 container. Each test samples a
 * scratch database of its own and, to check integrity, loads the sample through the rehearsal's own loader into
 * another, foreign keys on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleIT {
    private static final String POSTGRESQL = "postgresql-15";
    private static final String MARIADB = "mariadb-10.11";

    /** Every table references another; products' key is composite; customers and employees reference themselves. */
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE, name VARCHAR(100), "
                    + "phone VARCHAR(30), note VARCHAR(100), referrer_id BIGINT, FOREIGN KEY (referrer_id) REFERENCES customers (id))",
            "CREATE TABLE products (sku VARCHAR(20), variant INT, title VARCHAR(100) NOT NULL, PRIMARY KEY (sku, variant))",
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, placed DATE NOT NULL, "
                    + "total NUMERIC(10,2), FOREIGN KEY (customer_id) REFERENCES customers (id))",
            "CREATE TABLE order_items (order_id BIGINT, line INT, sku VARCHAR(20) NOT NULL, variant INT NOT NULL, "
                    + "qty INT NOT NULL, PRIMARY KEY (order_id, line), FOREIGN KEY (order_id) REFERENCES orders (id), "
                    + "FOREIGN KEY (sku, variant) REFERENCES products (sku, variant))",
            "CREATE TABLE departments (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, head_id INT)",
            "CREATE TABLE employees (id INT PRIMARY KEY, department_id INT NOT NULL, manager_id INT, name VARCHAR(40) NOT NULL, "
                    + "FOREIGN KEY (department_id) REFERENCES departments (id), FOREIGN KEY (manager_id) REFERENCES employees (id))");
    /** Closes the cycle departments → employees → departments. */
    private static final String CYCLE = "ALTER TABLE departments ADD CONSTRAINT departments_head FOREIGN KEY (head_id) "
            + "REFERENCES employees (id)";

    private final Map<String, ShadowDatabase> servers = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        servers.put(POSTGRESQL, TestShadows.embedded("15"));
        servers.put(MARIADB, TestShadows.container(Engine.MARIADB, "mariadb:10.11"));
    }

    @AfterAll
    void stop() {
        servers.values().forEach(ShadowDatabase::close);
    }

    /** A scratch database on one of the servers. */
    private final class Db implements AutoCloseable {
        final ShadowDatabase scratch;
        final Connection connection;
        final Engine engine;

        Db(String server) throws SQLException {
            scratch = TestShadows.scratch(servers.get(server));
            connection = scratch.connect(Purpose.LOAD);
            engine = scratch.engine();
        }

        /** The shop: 2,000 customers, 300 products, 6,000 orders of 3 items, 10 departments of 100 employees. */
        Db withShop() throws SQLException {
            SCHEMA.forEach(this::execute);
            if (engine == Engine.POSTGRESQL) {
                execute(CYCLE + " DEFERRABLE INITIALLY DEFERRED");
                connection.setAutoCommit(false);
                insertShop("generate_series(1, %d) AS s(i)", "i");
                connection.commit();
                connection.setAutoCommit(true);
                execute("ANALYZE");
            } else {
                execute(CYCLE);
                execute("SET foreign_key_checks = 0");
                insertShop("seq_1_to_%d AS s", "seq");
                execute("SET foreign_key_checks = 1");
                execute("ANALYZE TABLE customers, products, orders, order_items, departments, employees");
            }
            return this;
        }

        private void insertShop(String series, String i) {
            Function<Integer, String> upTo = n -> String.format(series, n);
            execute("INSERT INTO customers SELECT " + i + ", " + concat("'user'", i, "'@shop.test'") + ", "
                    + concat("'Customer '", i) + ", " + concat("'+31 6 '", engine == Engine.POSTGRESQL
                    ? "LPAD(CAST(" + i + " AS TEXT), 8, '0')" : "LPAD(" + i + ", 8, '0')") + ", "
                    + "CASE WHEN " + i + " % 3 = 0 THEN " + concat("'vip '", i) + " END, "
                    + "CASE WHEN " + i + " > 1 THEN FLOOR(" + i + " / 2) END FROM " + upTo.apply(2000));
            execute("INSERT INTO products SELECT " + concat("'SKU'", "(" + i + " % 100)") + ", FLOOR(" + i + " / 100), "
                    + concat("'Product '", i) + " FROM " + upTo.apply(300).replace("1, 300", "0, 299").replace("1_to_300", "0_to_299"));
            execute("INSERT INTO orders SELECT " + i + ", 1 + (" + i + " * 7) % 2000, DATE '2024-01-01' + "
                    + (engine == Engine.POSTGRESQL ? "CAST(" + i + " % 365 AS INT)" : "INTERVAL (" + i + " % 365) DAY")
                    + ", (" + i + " % 1000) / 10.0 FROM " + upTo.apply(6000));
            for (int line = 1; line <= 3; line++) {
                execute("INSERT INTO order_items SELECT " + i + ", " + line + ", " + concat("'SKU'", "((" + i + " * 3 + " + line
                        + ") % 100)") + ", (" + i + " + " + line + ") % 3, " + line + " FROM " + upTo.apply(6000));
            }
            execute("INSERT INTO departments SELECT " + i + ", " + concat("'Dept '", i) + ", " + i + " * 10 FROM " + upTo.apply(10));
            execute("INSERT INTO employees SELECT " + i + ", 1 + " + i + " % 10, CASE WHEN " + i + " > 1 THEN FLOOR(" + i
                    + " / 2) END, " + concat("'Employee '", i) + " FROM " + upTo.apply(100));
        }

        private String concat(String... parts) {
            return engine == Engine.POSTGRESQL ? "(" + String.join(" || ", List.of(parts).stream()
                    .map(p -> p.startsWith("'") ? p : "CAST(" + p + " AS TEXT)").toList()) + ")"
                    : "CONCAT(" + String.join(", ", parts) + ")";
        }

        void execute(String sql) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        List<String> column(String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }

        /** Each table's content, as a checksum the engine computes. */
        Map<String, String> checksums() throws SQLException {
            Map<String, String> sums = new LinkedHashMap<>();
            for (String table : column(engine == Engine.POSTGRESQL
                    ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")) {
                sums.put(table, engine == Engine.POSTGRESQL
                        ? column("SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t")
                        .get(0)
                        : column("SELECT COUNT(*) FROM " + table).get(0) + ":" + checksumTable(table));
            }
            return sums;
        }

        private String checksumTable(String table) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("CHECKSUM TABLE " + table + " EXTENDED")) {
                rs.next();
                return rs.getString(2);
            }
        }

        /** Samples as a user with SELECT privileges only, made with the README's recipe. */
        SampleResult sample(Path project, String config, long seed) throws Exception {
            if (reader == null) {
                reader = SelectOnlyUser.create(connection, engine);
            }
            return sample(project, config, seed, reader.url(scratch.endpoint().url()), reader.user(), reader.password(), false);
        }

        SampleResult sample(Path project, String config, long seed, String url, String user, String password,
                            boolean allowWritableSource) throws Exception {
            Files.writeString(project.resolve("sample.json"), config);
            return Sample.configure().projectDirectory(project)
                    .source(url, user, password)
                    .config(Path.of("sample.json")).seed(seed).dataDirectory(Path.of("data"))
                    .statistics(Path.of("stats.json")).reportDirectory(Path.of("report"))
                    .allowWritableSource(allowWritableSource)
                    .load().run(events::add);
        }

        private SelectOnlyUser.Credentials reader;

        final List<RehearsalEvent> events = new ArrayList<>();

        @Override
        public void close() throws SQLException {
            connection.close();
            scratch.close();
        }
    }

    private static final String SHOP_RULES = """
            {"tables": {"orders": {"percent": 10}, "employees": {"rows": 3},
                        "customers": {"where": "id IN (1999, 2000)"}, "order_items": {"referencing": 1000}},
             "masks": {"customers.id": "hash", "customers.email": "email", "customers.name": "name",
                       "customers.phone": "phone", "customers.note": "null", "products.sku": "hash",
                       "products.title": {"fixed": "a product"}}}
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void everyForeignKeyOfTheMaskedSampleResolvesWhenLoadedWithConstraintsOn(String server, @TempDir Path project)
            throws Exception {
        SampleResult result;
        try (Db source = new Db(server).withShop()) {
            result = source.sample(project, SHOP_RULES, 7);
        }
        Map<String, TableSample> tables = result.tables().stream().collect(Collectors.toMap(TableSample::table, t -> t));
        assertThat(tables.keySet()).containsExactlyInAnyOrder("customers", "products", "orders", "order_items",
                "departments", "employees");
        assertThat(tables.get("orders").selected()).isBetween(450L, 750L);
        assertThat(tables.get("employees").selected()).isEqualTo(3);
        assertThat(tables.get("customers").selected()).isEqualTo(2);
        // What the closure added: the orders' customers and their referrers, the items' products, the employees'
        // managers and departments, the departments' heads, and up to 1,000 items of the sampled orders.
        assertThat(tables.get("customers").referenced()).isPositive();
        assertThat(tables.get("customers").addedVia()).containsKeys("orders(customer_id) -> customers(id)",
                "customers(referrer_id) -> customers(id)");
        assertThat(tables.get("products").referenced()).isEqualTo(tables.get("products").rows()).isPositive();
        assertThat(tables.get("order_items").referencing()).isEqualTo(1000);
        assertThat(tables.get("departments").referenced()).isEqualTo(tables.get("departments").rows()).isPositive();
        assertThat(tables.get("employees").addedVia()).containsKeys("employees(manager_id) -> employees(id)",
                "departments(head_id) -> employees(id)");
        assertThat(result.masked()).containsEntry("orders.customer_id", "hash").containsEntry("customers.referrer_id", "hash")
                .containsEntry("order_items.sku", "hash");
        assertThat(project.resolve("report").resolve(Sample.SUMMARY)).exists();

        // A fresh database with every constraint on; the cycle's closing key is added once both tables are loaded
        // (the loader commits table by table), and validates every loaded row as it is added.
        try (Db target = new Db(server)) {
            SCHEMA.forEach(target::execute);
            Dialect dialect = Dialect.of(target.engine);
            RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("1")
                    .engine(target.engine.id()).dataDirectory(Path.of("data")).statistics(Path.of("stats.json")).load().config();
            StatisticsSnapshot snapshot = StatisticsFile.read(config.data().statistics());
            var data = new SampleData(dialect, config, target.events::add).load(target.connection, snapshot);
            target.execute(CYCLE);
            for (TableSample table : result.tables()) {
                assertThat(target.column("SELECT COUNT(*) FROM " + table.table())).as(table.table())
                        .containsExactly(Long.toString(table.rows()));
            }
            assertThat(data.tables()).hasSize(6);
            assertThat(snapshot.tables()).hasSize(6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void noOriginalValueOfAMaskedColumnIsWritten(String server, @TempDir Path project) throws Exception {
        Map<String, List<String>> originals = new LinkedHashMap<>();
        try (Db source = new Db(server).withShop()) {
            for (String column : List.of("customers.email", "customers.name", "customers.phone", "customers.note",
                    "products.sku", "products.title")) {
                String[] parts = column.split("\\.");
                originals.put(column, source.column("SELECT " + parts[1] + " FROM " + parts[0] + " WHERE " + parts[1]
                        + " IS NOT NULL"));
            }
            originals.put("customers.id", source.column("SELECT id FROM customers"));
            source.sample(project, SHOP_RULES, 7);
        }
        List<Path> outputs;
        try (Stream<Path> files = Files.walk(project)) {
            outputs = files.filter(Files::isRegularFile).filter(p -> !p.endsWith("sample.json")).toList();
        }
        assertThat(outputs).hasSize(8);
        String everything = outputs.stream().map(SampleIT::read).collect(Collectors.joining("\n"));
        originals.forEach((column, values) -> {
            if (!column.equals("customers.id")) {
                assertThat(values).as(column).hasSizeGreaterThan(30)
                        .allSatisfy(value -> assertThat(everything).as(column).doesNotContain(value));
            }
        });
        // Integers are masked into integers, so their originals are looked for in the masked columns themselves.
        Set<String> ids = new HashSet<>(originals.get("customers.id"));
        Path data = project.resolve("data");
        List<String> masked = new ArrayList<>();
        masked.addAll(csv(data.resolve("customers.csv"), "id"));
        masked.addAll(csv(data.resolve("customers.csv"), "referrer_id"));
        masked.addAll(csv(data.resolve("orders.csv"), "customer_id"));
        assertThat(masked).hasSizeGreaterThan(500).doesNotContainAnyElementsOf(ids);

        assertThat(csv(data.resolve("customers.csv"), "email")).allMatch(e -> e.matches("[a-z]+\\.[a-z]+\\.\\d+@example\\.com"));
        assertThat(csv(data.resolve("customers.csv"), "name")).allMatch(n -> n.matches("[A-Z][a-z]+ [A-Z][a-z]+"));
        assertThat(csv(data.resolve("customers.csv"), "phone")).allMatch(p -> p.matches("\\+\\d\\d \\d \\d{8}"));
        assertThat(csv(data.resolve("customers.csv"), "note")).containsOnlyNulls();
        assertThat(csv(data.resolve("products.csv"), "title")).containsOnly("a product");
        assertThat(csv(data.resolve("products.csv"), "sku")).allMatch(s -> s.matches("[0-9a-f]{16}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void theSameSeedGivesTheSameFilesByteForByte(String server, @TempDir Path project) throws Exception {
        Path first = Files.createDirectories(project.resolve("first"));
        Path second = Files.createDirectories(project.resolve("second"));
        Path other = Files.createDirectories(project.resolve("other"));
        try (Db source = new Db(server).withShop()) {
            source.sample(first, SHOP_RULES, 7);
            source.sample(second, SHOP_RULES, 7);
            source.sample(other, SHOP_RULES, 8);
        }
        List<String> files = List.of("customers.csv", "products.csv", "orders.csv", "order_items.csv", "departments.csv",
                "employees.csv");
        for (String file : files) {
            assertThat(Files.readAllBytes(second.resolve("data").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(first.resolve("data").resolve(file)));
        }
        assertThat(Files.readAllBytes(second.resolve("report").resolve(Sample.SUMMARY)))
                .isEqualTo(Files.readAllBytes(first.resolve("report").resolve(Sample.SUMMARY)));
        assertThat(Files.readAllBytes(other.resolve("data").resolve("orders.csv")))
                .isNotEqualTo(Files.readAllBytes(first.resolve("data").resolve("orders.csv")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void rulesSelectByPercentRowsAndWhere(String server, @TempDir Path project) throws Exception {
        try (Db source = new Db(server).withShop()) {
            SampleResult result = source.sample(project, """
                    {"exclude": ["departments", "employees"],
                     "tables": {"orders": {"rows": 40, "where": "total > 50"}, "customers": {"percent": 5},
                                "products": {"where": "variant = 2"}}}
                    """, 3);
            Map<String, TableSample> tables = result.tables().stream().collect(Collectors.toMap(TableSample::table, t -> t));
            assertThat(tables.keySet()).containsExactlyInAnyOrder("customers", "products", "orders", "order_items");
            assertThat(tables.get("orders").selected()).isEqualTo(40);
            assertThat(csv(project.resolve("data/orders.csv"), "total")).allMatch(t -> Double.parseDouble(t) > 50);
            assertThat(tables.get("customers").selected()).isBetween(60L, 140L);
            assertThat(tables.get("products").selected()).isEqualTo(100);
            assertThat(tables.get("order_items").rows()).isZero();
            // Every order's customer is in the sample, and every referrer of a sampled customer.
            Set<String> customers = new HashSet<>(csv(project.resolve("data/customers.csv"), "id"));
            assertThat(csv(project.resolve("data/orders.csv"), "customer_id")).isSubsetOf(customers);
            assertThat(csv(project.resolve("data/customers.csv"), "referrer_id").stream().filter(r -> r != null).toList())
                    .isNotEmpty().isSubsetOf(customers);
            assertThat(result.unfollowed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void masksThatWouldBreakKeysAndBadRulesAreRefusedBeforeAnyFileIsWritten(String server, @TempDir Path project)
            throws Exception {
        try (Db source = new Db(server).withShop()) {
            assertThatThrownBy(() -> source.sample(project, "{\"masks\": {\"orders.customer_id\": \"email\"}}", 1))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("orders.customer_id is a key that foreign keys join (customers.id, customers.referrer_id), and the mask email would break it")
                    .satisfies(e -> assertThat(((ConfigurationException) e).fix()).contains("\"hash\""));
            assertThatThrownBy(() -> source.sample(project, "{\"masks\": {\"orders.placed\": \"hash\"}, "
                    + "\"tables\": {\"orders\": {\"rows\": 5}}}", 1))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("orders.placed\"]: hash keeps numbers, UUIDs and text");
            assertThatThrownBy(() -> source.sample(project, "{\"tables\": {\"orders\": {\"where\": \"no_such > 1\"}}}", 1))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("$.tables.orders: the source refused");
            assertThatThrownBy(() -> source.sample(project, "{\"tables\": {\"invoices\": {\"percent\": 1}}}", 1))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("$.tables.invoices: the source has no such table");
            assertThat(project.resolve("data")).doesNotExist();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void theSourceIsUnchangedAndWritesInTheToolsTransactionFail(String server, @TempDir Path project) throws Exception {
        try (Db source = new Db(server).withShop()) {
            Map<String, String> before = source.checksums();
            source.sample(project, SHOP_RULES, 7);
            assertThat(source.checksums()).isEqualTo(before);

            List<String> writes = List.of("INSERT INTO products VALUES ('NEW', 1, 'new')",
                    "UPDATE customers SET name = 'x' WHERE id = 1", "DELETE FROM order_items WHERE order_id = 1",
                    "CREATE TABLE intruder (id INT)", "DROP TABLE order_items", "TRUNCATE TABLE order_items");
            for (String write : writes) {
                // A session of its own for each: on PostgreSQL, a failed statement ends the transaction's usefulness.
                try (Source tool = Source.open(source.scratch.endpoint().url(), source.scratch.endpoint().user(),
                        source.scratch.endpoint().password(), 60_000); Statement statement = tool.connection().createStatement()) {
                    SQLException refused = catchThrowableOfType(SQLException.class, () -> statement.execute(write));
                    assertThat((Throwable) refused).as(write).isNotNull();
                    assertThat(refused.getSQLState()).as(write + ": " + refused.getMessage()).isEqualTo("25006");
                }
            }
            // After the tool's transaction ends, the session's next transaction is read-only too.
            try (Source tool = Source.open(source.scratch.endpoint().url(), source.scratch.endpoint().user(),
                    source.scratch.endpoint().password(), 60_000); Statement statement = tool.connection().createStatement()) {
                tool.connection().rollback();
                assertThatThrownBy(() -> statement.execute("INSERT INTO products VALUES ('NEW', 1, 'new')"))
                        .isInstanceOf(SQLException.class);
            }
            assertThat(source.checksums()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {POSTGRESQL, MARIADB})
    void aUserThatCanWriteIsRefusedUnlessAllowedAndThenWarnedAbout(String server, @TempDir Path project) throws Exception {
        String rules = "{\"tables\": {\"orders\": {\"rows\": 5}}}";
        try (Db source = new Db(server).withShop()) {
            // The server's administrator: superuser on PostgreSQL, ALL PRIVILEGES on MariaDB.
            ConfigurationException admin = catchThrowableOfType(ConfigurationException.class, () -> source.sample(project,
                    rules, 1, source.scratch.endpoint().url(), source.scratch.endpoint().user(), source.scratch.endpoint().password(), false));
            assertThat(admin.parameter()).isEqualTo("allowWritableSource");
            assertThat(admin.getMessage()).contains("the source user " + source.scratch.endpoint().user() + " can write to")
                    .contains(source.engine == Engine.POSTGRESQL ? ": superuser" : ": ALL PRIVILEGES on *.*");
            assertThat(admin.fix()).contains("README's Security section").contains("<allowWritableSource>true");
            assertThat(project.resolve("data")).doesNotExist();

            // One privilege that writes is enough, and is named with its table.
            SelectOnlyUser.Credentials writer = SelectOnlyUser.create(source.connection, source.engine);
            source.execute("GRANT INSERT ON orders TO " + (source.engine == Engine.POSTGRESQL ? writer.user()
                    : "'" + writer.user() + "'@'%'"));
            assertThatThrownBy(() -> source.sample(project, rules, 1, writer.url(source.scratch.endpoint().url()), writer.user(),
                    writer.password(), false))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageEndingWith(source.engine == Engine.POSTGRESQL ? "can write to " + displayed(source)
                            + ": INSERT on public.orders" : ": INSERT on `" + source.column("SELECT DATABASE()").get(0)
                            + "`.`orders`");

            source.events.clear();
            source.sample(project, rules, 1, writer.url(source.scratch.endpoint().url()), writer.user(), writer.password(), true);
            assertThat(source.events).filteredOn(e -> e.message().startsWith("WRITABLE SOURCE: the source user "
                    + writer.user() + " can write")).singleElement()
                    .satisfies(e -> assertThat(e.level()).isEqualTo(RehearsalEvent.Level.WARN));
            assertThat(csv(project.resolve("data/orders.csv"), "id")).hasSize(5);

            source.events.clear();
            source.sample(project, rules, 1);
            assertThat(source.events).noneMatch(e -> e.message().contains("WRITABLE SOURCE"));
        }
    }

    private static String displayed(Db source) {
        return source.scratch.endpoint().url().replaceFirst("\\?.*", "");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One column of a sample CSV, read with the loader's rule: NULL for an empty unquoted field. */
    private static List<String> csv(Path file, String column) throws Exception {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CsvSource.format(null).parse(reader)) {
            List<String> values = new ArrayList<>();
            for (CSVRecord record : parser) {
                values.add(record.get(column));
            }
            return values;
        }
    }
}
