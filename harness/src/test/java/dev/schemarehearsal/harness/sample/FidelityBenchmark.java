package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.plan.PlanShape;
import dev.schemarehearsal.harness.plan.QueriesFile;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How often the shadow plans as production does, per fidelity technique. Generates {@link ShopSource} (2,050,000
 * rows) and a stock table (200,000) with their indexes on embedded PostgreSQL 18 (or the major version of
 * {@code -Dfidelity.postgres}) as "production", takes a 1 % foreign-key-closed sample of the shop and all of the stock
 * with {@link Sample} (CSV files and stats.json), then for each technique loads the sample into a database of its
 * own on the same server, plans the 24 queries of {@code fidelity-queries.sql} and the 20 of
 * {@code fidelity-application-queries.sql} with EXPLAIN and counts those whose {@link PlanShape} equals production's,
 * with and without parallel nodes. A program, not a test: run it as the
 * README says.
 */
public final class FidelityBenchmark {
    private static final List<String> INDEXES = List.of(
            "CREATE INDEX orders_customer ON orders (customer_id)",
            "CREATE INDEX orders_placed ON orders (placed_at)",
            "CREATE INDEX orders_status ON orders (status)",
            "CREATE INDEX order_items_product ON order_items (product_id)",
            "CREATE INDEX customers_country ON customers (country)",
            "CREATE INDEX products_price ON products (price)",
            // The application workload's: a LIKE prefix, a partial index, covering multi-column indexes.
            "CREATE INDEX customers_email_prefix ON customers (email text_pattern_ops)",
            "CREATE INDEX orders_open ON orders (placed_at) WHERE status IN ('new', 'paid')",
            "CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at) INCLUDE (total)",
            "CREATE INDEX customers_created ON customers (created_at) INCLUDE (country)",
            "CREATE INDEX stock_warehouse ON stock (warehouse, product_id) INCLUDE (on_hand)");
    /** Stock per product and warehouse, 200,000 rows, no foreign keys: a table the sample takes whole. */
    private static final String STOCK = "CREATE TABLE stock (product_id INT NOT NULL, warehouse INT NOT NULL, "
            + "on_hand INT NOT NULL, reserved INT NOT NULL, PRIMARY KEY (product_id, warehouse))";
    private static final List<String> TABLES = Stream.concat(ShopSource.TABLES.stream(), Stream.of("stock")).toList();
    private static final List<String> WORKLOADS = List.of("fidelity-queries.sql", "fidelity-application-queries.sql");
    private static final Dialect DIALECT = Dialect.of(Engine.POSTGRESQL);
    private static final RehearsalListener QUIET = event -> { };

    /** One way of preparing the shadow: the sample is loaded, then this is done. */
    private interface Technique {
        void prepare(Connection connection, RehearsalConfig config, StatisticsSnapshot snapshot) throws SQLException;
    }

    private FidelityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Files.createTempDirectory("fidelity-benchmark");
        Map<String, List<Query>> workloads = new LinkedHashMap<>();
        for (String workload : WORKLOADS) {
            workloads.put(workload, QueriesFile.read(Path.of(FidelityBenchmark.class.getResource(workload).toURI())));
        }
        Path queriesFile = Path.of(FidelityBenchmark.class.getResource(WORKLOADS.get(0)).toURI());
        List<Query> queries = workloads.values().stream().flatMap(List::stream).toList();
        String major = System.getProperty("fidelity.postgres", "18");
        try (ShadowDatabase server = TestShadows.embedded(major)) {
            Map<String, Plan> production = new LinkedHashMap<>();
            SelectOnlyUser.Credentials reader;
            try (Connection connection = server.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
                long start = System.nanoTime();
                // Committed synchronously, so that VACUUM can mark the pages all-visible, as autovacuum has in production.
                statement.execute("SET synchronous_commit = on");
                ShopSource.generate(statement);
                statement.execute(STOCK);
                statement.execute("INSERT INTO stock SELECT p, w, (p * 7 + w * 13) % 200, p % 3 "
                        + "FROM generate_series(1, 50000) p, generate_series(1, 4) w");
                for (String index : INDEXES) {
                    statement.execute(index);
                }
                statement.execute("VACUUM ANALYZE");
                System.out.printf("production: %s, generated in %,d ms%n", sizes(statement),
                        (System.nanoTime() - start) / 1_000_000);
                if (args.length > 0) {
                    System.out.println("    indexes: " + indexSizes(statement));
                }
                for (Query query : queries) {
                    production.put(query.name(), DIALECT.explain(connection, query.sql(), false));
                }
                reader = SelectOnlyUser.create(connection, Engine.POSTGRESQL);
            }
            Files.writeString(project.resolve("sample.json"), """
                    {"tables": {"customers": {"percent": 1}, "products": {"percent": 1}, "orders": {"percent": 1},
                                "order_items": {"percent": 1}, "stock": {"percent": 100}}}
                    """);
            Sample.configure().projectDirectory(project).source(reader.url(server.endpoint().url()), reader.user(), reader.password())
                    .config(Path.of("sample.json")).dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                    .seed(1).load().run(QUIET);
            StatisticsSnapshot snapshot = StatisticsFile.read(project.resolve("stats.json"));
            Rehearsal.Builder builder = Rehearsal.configure().projectDirectory(project).baseline("1")
                    .dataDirectory(Path.of("data")).statistics(Path.of("stats.json")).queries(queriesFile);
            RehearsalConfig config = builder.load().config();
            // A quarter of the 120 MB the tables lack: the padding's share when production is larger than maxPaddingMb.
            RehearsalConfig quarter = builder.maxPaddingMb(30).load().config();
            RehearsalConfig unpadded = builder.maxPaddingMb(0).load().config();

            Map<String, Technique> techniques = new LinkedHashMap<>();
            techniques.put("A plain sample, ANALYZEd", (c, cfg, s) -> load(c, unpadded, null));
            if (Integer.parseInt(major) >= 18) {
                // Before 18 no function restores relpages.
                techniques.put("B A + production statistics, production's relpages", (c, cfg, s) -> {
                    load(c, unpadded, s);
                    resetSettings(c);
                    restore(c, s, t -> "'relpages', " + t.getValue().pages() + "::integer");
                });
            }
            techniques.put("C A + production statistics, the sample's relpages", (c, cfg, s) -> {
                load(c, unpadded, s);
                resetSettings(c);
            });
            techniques.put("D C + parallel thresholds scaled", (c, cfg, s) -> load(c, unpadded, s));
            techniques.put("F D + page costs, effective_cache_size scaled", (c, cfg, s) -> {
                load(c, unpadded, s);
                double ratio = ratio(c, s);
                set(c, Map.of("seq_page_cost", String.valueOf(1 / ratio), "random_page_cost", String.valueOf(4 / ratio),
                        "effective_cache_size", Math.round(524288 * ratio) + ""));
            });
            techniques.put("G D + storage padded to production's pages (the default)", (c, cfg, s) -> {
                long start = System.nanoTime();
                load(c, cfg, s);
                System.out.printf("G's load, padding included: %,d ms%n", (System.nanoTime() - start) / 1_000_000);
            });
            techniques.put("H G with maxPaddingMb 30, a quarter of the way", (c, cfg, s) -> load(c, quarter, s));

            for (Map.Entry<String, Technique> technique : techniques.entrySet()) {
                try (ShadowDatabase shadow = TestShadows.scratch(server)) {
                    try (Connection connection = shadow.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
                        ShopSource.schema(statement);
                        statement.execute(STOCK);
                        for (String index : INDEXES) {
                            statement.execute(index);
                        }
                        technique.getValue().prepare(connection, config, snapshot);
                    }
                    // A session of its own: database-level settings apply to sessions started after them.
                    try (Connection connection = shadow.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
                        System.out.printf("%s; sample %s%n", technique.getKey(), sizes(statement));
                        if (args.length > 0) {
                            System.out.println("    indexes: " + indexSizes(statement));
                        }
                        for (Map.Entry<String, List<Query>> workload : workloads.entrySet()) {
                            score(connection, workload.getKey(), workload.getValue(), production, args.length > 0);
                        }
                    }
                }
            }
        }
        System.out.println("Rehearsal harness " + RehearsalResult.Tool.harness().version() + ", PostgreSQL " + major);
    }

    /** Prints how many of the queries plan as production does, with and without parallel nodes, and which differ. */
    private static void score(Connection connection, String name, List<Query> queries, Map<String, Plan> production,
                              boolean showPlans) throws SQLException {
        int same = 0;
        int serial = 0;
        List<String> different = new ArrayList<>();
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (Query query : queries) {
            Plan plan = DIALECT.explain(connection, query.sql(), false);
            plans.put(query.name(), plan);
            Plan full = production.get(query.name());
            if (PlanShape.of(plan.plan()).equals(PlanShape.of(full.plan()))) {
                same++;
            } else {
                different.add(query.name());
            }
            if (PlanShape.serial(plan.plan()).equals(PlanShape.serial(full.plan()))) {
                serial++;
            }
        }
        System.out.printf("    %-34s %2d of %d plan as production (%2d ignoring parallel nodes)%n", name, same,
                queries.size(), serial);
        if (!different.isEmpty()) {
            System.out.println("      differ: " + String.join(", ", different));
        }
        if (showPlans) {
            for (String query : different) {
                System.out.println("      " + query + "\n        production: " + PlanShape.of(production.get(query).plan())
                        + "\n        shadow:     " + PlanShape.of(plans.get(query).plan()));
            }
        }
    }

    private static Data load(Connection connection, RehearsalConfig config, StatisticsSnapshot snapshot)
            throws SQLException {
        return new SampleData(DIALECT, config, QUIET).load(connection, snapshot);
    }

    private static void resetSettings(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET ALL', current_database()); END $$");
        }
    }

    private static void set(Connection connection, Map<String, String> settings) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                statement.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET " + setting.getKey() + " = %L', "
                        + "current_database(), '" + setting.getValue() + "'); END $$");
            }
        }
    }

    /** Overrides one of the tables' relation statistics, e.g. {@code 'relpages', 100}. */
    private static void restore(Connection connection, StatisticsSnapshot snapshot,
                                Function<Map.Entry<String, TableStatistics>, String> argument) throws SQLException {
        for (Map.Entry<String, TableStatistics> table : snapshot.tables().entrySet()) {
            try (Statement statement = connection.createStatement()) {
                String[] name = table.getKey().split("\\.");
                statement.executeQuery("SELECT pg_restore_relation_stats('schemaname', '" + name[0] + "', 'relname', '"
                        + name[1] + "', " + argument.apply(table) + ")").close();
            }
        }
    }

    /** The sample's pages over production's, over all tables. */
    private static double ratio(Connection connection, StatisticsSnapshot snapshot) throws SQLException {
        long production = snapshot.tables().values().stream().mapToLong(TableStatistics::pages).sum();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT sum(relpages) FROM pg_class WHERE relkind = 'r' "
                     + "AND relnamespace = 'public'::regnamespace")) {
            rs.next();
            return (double) rs.getLong(1) / production;
        }
    }

    private static String indexSizes(Statement statement) throws SQLException {
        List<String> sizes = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT relname, pg_relation_size(oid) / 8192, reltuples::bigint "
                + "FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace ORDER BY relname")) {
            while (rs.next()) {
                sizes.add(String.format("%s %,d pages %,d rows", rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return String.join(", ", sizes);
    }

    private static String sizes(Statement statement) throws SQLException {
        StringBuilder text = new StringBuilder();
        for (String table : TABLES) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*), pg_relation_size('" + table + "') / 8192 FROM "
                    + table)) {
                rs.next();
                text.append(text.length() == 0 ? "" : ", ").append(String.format("%s %,d rows %,d pages", table,
                        rs.getLong(1), rs.getLong(2)));
            }
        }
        return text.toString();
    }
}
