package dev.schemarehearsal.harness.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.plan.PlanShape;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The shadow plans as production does where production's planner depends on more than row counts, on embedded
 * PostgreSQL 15 and 18: a "production" database is generated and analyzed on the server, its statistics taken with
 * {@code stats-postgresql.sql} and a sample of it exported as CSV; the sample is loaded into a scratch database as the
 * rehearsal loads it, and the plans of both are compared. Plans are deterministic given the statistics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlannerFidelityIT {
    private static final Dialect DIALECT = Dialect.of(Engine.POSTGRESQL);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = """
            CREATE TABLE stock (product_id int, warehouse int, on_hand int NOT NULL, reserved int NOT NULL,
                                PRIMARY KEY (product_id, warehouse));
            CREATE INDEX stock_warehouse ON stock (warehouse, product_id) INCLUDE (on_hand);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                                 placed_at timestamp NOT NULL, total numeric(12, 2) NOT NULL);
            CREATE INDEX orders_status ON orders (status);
            CREATE INDEX orders_customer ON orders (customer_id);
            CREATE INDEX orders_placed ON orders (placed_at);
            CREATE INDEX orders_open ON orders (placed_at) WHERE status IN ('new', 'paid');
            CREATE TABLE order_items (order_id bigint NOT NULL, line int NOT NULL, product_id int NOT NULL,
                                      quantity int NOT NULL, price numeric(10, 2) NOT NULL, PRIMARY KEY (order_id, line));
            CREATE TABLE customers (id bigint PRIMARY KEY, country text NOT NULL, email text NOT NULL);
            CREATE INDEX customers_country ON customers (country);
            """;
    private static final String STOCK_QUERY = "SELECT count(*), sum(on_hand) FROM stock WHERE warehouse = 2 AND product_id < 20000";
    private static final String CANCELLED_QUERY = "SELECT * FROM orders WHERE status = 'cancelled'";
    private static final String OPEN_QUERY = "SELECT count(*) FROM orders WHERE status IN ('new', 'paid')";
    /** Every line of every order: production reads both tables in parallel and hashes orders in shared memory. */
    private static final String REVENUE_QUERY = "SELECT o.status, sum(i.quantity * i.price) FROM orders o "
            + "JOIN order_items i ON i.order_id = o.id GROUP BY o.status";
    /** The Dutch customers with a new order: the few orders are the side to hash and join against customers. */
    private static final String SEMI_JOIN_QUERY = "SELECT count(*) FROM customers c WHERE c.country = 'NL' "
            + "AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'new')";
    /** Every hundredth order: all the cancelled ones among them, a fifth of the sample where production has 0.2 %. */
    private static final String ORDERS_SAMPLE = "id % 100 = 0";

    /** A production database per server, and what it planned. */
    private record Production(ShadowDatabase database, Map<String, PlanNode> plans) { }

    private final Map<String, ShadowDatabase> servers = new LinkedHashMap<>();
    private final Map<String, Production> productions = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        servers.put("15", TestShadows.embedded("15"));
        servers.put("18", TestShadows.embedded("18"));
    }

    @AfterAll
    void stop() {
        productions.values().forEach(p -> p.database().close());
        servers.values().forEach(ShadowDatabase::close);
    }

    private Production production(String version) throws SQLException {
        if (productions.containsKey(version)) {
            return productions.get(version);
        }
        ShadowDatabase database = TestShadows.scratch(servers.get(version));
        Map<String, PlanNode> plans = new LinkedHashMap<>();
        try (Connection connection = database.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
            // Committed synchronously, so that VACUUM can mark the pages all-visible (see PostgresDialect.analyze).
            statement.execute("SET synchronous_commit = on");
            // ANALYZE reads every row of orders and customers (300 × 1000 rows a table): production's plans are
            // the same at every run, not a matter of which rows ANALYZE happened to sample.
            statement.execute("SET default_statistics_target = 1000");
            // Vacuumed when the test says, not when autovacuum comes by.
            statement.execute("ALTER TABLE stock SET (autovacuum_enabled = false)");
            statement.execute("INSERT INTO stock SELECT p, w, (p * 7 + w * 13) % 200, p % 3 "
                    + "FROM generate_series(1, 50000) p, generate_series(1, 4) w");
            // The newest orders are open, one in 500 is cancelled; customers place orders evenly.
            statement.execute("INSERT INTO orders SELECT i, 1 + i % 20000, CASE WHEN i % 500 = 0 THEN 'cancelled' "
                    + "WHEN i > 297000 THEN 'new' WHEN i > 294000 THEN 'paid' ELSE 'delivered' END, "
                    + "timestamp '2024-01-01' + i * interval '1 minute', (i % 1000) / 10.0 FROM generate_series(1, 300000) i");
            statement.execute("INSERT INTO order_items SELECT o, l, 1 + (o * 31 + l * 7) % 5000, 1 + (o + l) % 9, "
                    + "(o * 13 + l) % 500 / 4.0 FROM generate_series(1, 300000) o, generate_series(1, 4) l");
            // One customer in ten is Dutch.
            statement.execute("INSERT INTO customers SELECT i, CASE WHEN i % 10 = 0 THEN 'NL' WHEN i % 3 = 0 THEN 'DE' "
                    + "ELSE 'FR' END, 'customer' || i || '@mail.test' FROM generate_series(1, 20000) i");
            statement.execute("ANALYZE");
            // As loaded and analyzed, never vacuumed: no page is marked all-visible yet.
            plans.put("stock, never vacuumed", DIALECT.explain(connection, STOCK_QUERY, false).plan());
            statement.execute("VACUUM ANALYZE");
            plans.put("stock", DIALECT.explain(connection, STOCK_QUERY, false).plan());
            plans.put("cancelled", DIALECT.explain(connection, CANCELLED_QUERY, false).plan());
            plans.put("open", DIALECT.explain(connection, OPEN_QUERY, false).plan());
            plans.put("revenue", DIALECT.explain(connection, REVENUE_QUERY, false).plan());
            plans.put("semi-join", DIALECT.explain(connection, SEMI_JOIN_QUERY, false).plan());
        }
        Production production = new Production(database, plans);
        productions.put(version, production);
        return production;
    }

    /** Production's statistics as the shipped script takes them, written to the project's stats.json. */
    private static Path statistics(Production production, Path project) throws Exception {
        try (Connection connection = production.database().connect(Purpose.LOAD); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(StatisticsFile.script("stats-postgresql.sql"))) {
            rs.next();
            return Files.writeString(project.resolve("stats.json"), rs.getString(1));
        }
    }

    /** Writes the snapshot with each of its tables edited. */
    private static void edit(Path stats, String snapshot, Consumer<ObjectNode> edit) throws IOException {
        JsonNode json = MAPPER.readTree(snapshot);
        json.get("tables").forEach(table -> edit.accept((ObjectNode) table));
        MAPPER.writeValue(stats.toFile(), json);
    }

    /** Writes the rows of production's table that the condition admits as the sample's CSV file. */
    private static void sample(Production production, Path project, String table, String where) throws Exception {
        Path file = Files.createDirectories(project.resolve("data")).resolve(table + ".csv");
        try (Connection connection = production.database().connect(Purpose.LOAD); OutputStream out = Files.newOutputStream(file)) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT * FROM " + table + " WHERE " + where
                    + ") TO STDOUT WITH (FORMAT csv, HEADER, FORCE_QUOTE *)", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A shadow with the schema, the sample loaded as the rehearsal loads it. */
    private final class Shadow implements AutoCloseable {
        final ShadowDatabase database;
        final Connection connection;
        final List<RehearsalEvent> events = new ArrayList<>();

        Shadow(String version, Path project, Consumer<Rehearsal.Builder> options) throws SQLException {
            database = TestShadows.scratch(servers.get(version));
            connection = database.connect(Purpose.LOAD);
            try (Statement statement = connection.createStatement()) {
                statement.execute(SCHEMA);
            }
            Rehearsal.Builder builder = Rehearsal.configure().projectDirectory(project).baseline("1")
                    .dataDirectory(Path.of("data")).statistics(Path.of("stats.json"));
            options.accept(builder);
            RehearsalConfig config = builder.load().config();
            new SampleData(DIALECT, config, events::add).load(connection, StatisticsFile.read(config.data().statistics()));
        }

        /** The plan in a session of its own: database-level settings apply to sessions started after them. */
        PlanNode plan(String sql) throws SQLException {
            try (Connection session = database.connect(Purpose.PLANS)) {
                return DIALECT.explain(session, sql, false).plan();
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
            database.close();
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void aTableTakenWholeIsReadThroughItsCoveringIndexAsProductionsVisibilityMapAllows(String version,
                                                                                       @TempDir Path project) throws Exception {
        Production production = production(version);
        Path stats = statistics(production, project);
        sample(production, project, "stock", "true");
        // The sample is production's table itself, so it is not padded (and not vacuumed by the padding).
        assertThat(production.plans().get("stock").nodeType()).isEqualTo("Aggregate");
        assertThat(PlanShape.of(production.plans().get("stock"))).contains("Index Only Scan on stock using stock_warehouse");
        try (Shadow shadow = new Shadow(version, project, b -> { })) {
            assertThat(PlanShape.of(shadow.plan(STOCK_QUERY))).isEqualTo(PlanShape.of(production.plans().get("stock")));
        }
        // A snapshot that doesn't say how much of production is all-visible: the load's VACUUM marks the shadow's pages.
        String snapshot = Files.readString(stats);
        assertThat(MAPPER.readTree(snapshot).at("/tables/public.stock/allVisiblePages").asLong()).isPositive();
        edit(stats, snapshot, table -> table.remove("allVisiblePages"));
        try (Shadow shadow = new Shadow(version, project, b -> { })) {
            assertThat(PlanShape.of(shadow.plan(STOCK_QUERY))).isEqualTo(PlanShape.of(production.plans().get("stock")));
        }
        // A production whose table autovacuum has not reached yet reads it otherwise, and so does the shadow.
        edit(stats, snapshot, table -> table.put("allVisiblePages", 0));
        PlanNode unvacuumed = production.plans().get("stock, never vacuumed");
        assertThat(PlanShape.of(unvacuumed)).doesNotContain("Index Only Scan on stock using stock_warehouse");
        try (Shadow shadow = new Shadow(version, project, b -> { })) {
            assertThat(PlanShape.of(shadow.plan(STOCK_QUERY))).isEqualTo(PlanShape.of(unvacuumed));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void aValueRareInProductionButCommonInTheSampleIsEstimatedFromProductionsMostCommonValues(String version,
                                                                                            @TempDir Path project) throws Exception {
        Production production = production(version);
        statistics(production, project);
        sample(production, project, "orders", ORDERS_SAMPLE);
        PlanNode cancelled = production.plans().get("cancelled");
        assertThat(PlanShape.of(cancelled)).containsExactly("Index Scan on orders using orders_status");
        Path queries = queries(project, CANCELLED_QUERY);
        try (Shadow shadow = new Shadow(version, project, b -> b.queries(queries))) {
            PlanNode plan = shadow.plan(CANCELLED_QUERY);
            assertThat(PlanShape.of(plan)).isEqualTo(PlanShape.of(cancelled));
            // Production's frequency times production's rows: the estimate itself is production's.
            assertThat(plan.estimatedRows()).isEqualTo(cancelled.estimatedRows());
            assertThat(shadow.events).noneSatisfy(e -> assertThat(e.message()).contains("not applied").contains("orders"));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void aPartialIndexHoldsProductionsShareOfTheRows(String version, @TempDir Path project) throws Exception {
        Production production = production(version);
        statistics(production, project);
        sample(production, project, "orders", ORDERS_SAMPLE);
        PlanNode open = production.plans().get("open");
        // Which index production counts them by is a close call between the partial index and the status index.
        assertThat(PlanShape.of(open)).anyMatch(node -> node.startsWith("Index Only Scan on orders"));
        Path queries = queries(project, OPEN_QUERY);
        try (Shadow shadow = new Shadow(version, project, b -> b.queries(queries))) {
            assertThat(PlanShape.of(shadow.plan(OPEN_QUERY))).isEqualTo(PlanShape.of(open));
            try (Statement statement = shadow.connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT (SELECT reltuples FROM pg_class WHERE relname = 'orders_open'), "
                         + "count(*) FILTER (WHERE status IN ('new', 'paid')) * 300000.0 / count(*) FROM orders")) {
                rs.next();
                // The sample's 48 open orders (12 of its 60 newest are cancelled) scaled to production's rows, not the
                // sample's 48 rows and not the 300,000 of the whole table.
                assertThat(rs.getDouble(1)).isCloseTo(4800, withinPercentage(1)).isCloseTo(rs.getDouble(2), withinPercentage(1));
            }
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void aJoinOfTwoLargeTablesIsAParallelHashJoinAsInProduction(String version, @TempDir Path project) throws Exception {
        Production production = production(version);
        statistics(production, project);
        sample(production, project, "orders", ORDERS_SAMPLE);
        sample(production, project, "order_items", "order_id % 100 = 0");
        PlanNode revenue = production.plans().get("revenue");
        assertThat(PlanShape.of(revenue)).contains("Parallel Hash Join (Inner)", "Parallel Hash");
        Path queries = queries(project, REVENUE_QUERY);
        try (Shadow shadow = new Shadow(version, project, b -> b.queries(queries))) {
            assertThat(PlanShape.of(shadow.plan(REVENUE_QUERY))).isEqualTo(PlanShape.of(revenue));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void aSemiJoinHashesTheSideProductionHashes(String version, @TempDir Path project) throws Exception {
        Production production = production(version);
        statistics(production, project);
        sample(production, project, "orders", ORDERS_SAMPLE);
        // The customers of the sampled orders, and a hundredth of the others.
        sample(production, project, "customers", "id % 100 IN (0, 1)");
        PlanNode semiJoin = production.plans().get("semi-join");
        // PostgreSQL 18 hashes the customers (a right semi-join), earlier versions the orders.
        assertThat(PlanShape.of(semiJoin)).anyMatch(node -> node.contains("Semi)"));
        Path queries = queries(project, SEMI_JOIN_QUERY);
        try (Shadow shadow = new Shadow(version, project, b -> b.queries(queries))) {
            assertThat(PlanShape.of(shadow.plan(SEMI_JOIN_QUERY))).isEqualTo(PlanShape.of(semiJoin));
        }
    }

    /** A queries file, so that the load pads the tables to production's pages as a rehearsal with queries does. */
    private static Path queries(Path project, String sql) throws IOException {
        return Files.writeString(project.resolve("queries.sql"), "-- name: q\n" + sql + ";\n");
    }
}
