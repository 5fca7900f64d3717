package dev.schemarehearsal.harness.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.sample.Sample;
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
import java.util.Locale;
import java.util.Map;

/**
 * How a statement's duration grows with its table, and what predicts it at production size. On embedded PostgreSQL
 * ({@code -Destimate.postgres}, default 18) it generates {@link EstimateShop} at 0, 1, 5, 20 and 100 % of its full
 * size, takes a 1 % sample of the full size with {@link Sample} and loads it as a rehearsal does (production's
 * statistics applied), as it is and scaled up 5 times, each also vacuumed; then runs each statement kind on fresh
 * copies of each, without parallel workers, rounds interleaved across the sizes, and writes the medians to a CSV
 * file with the rows the statement read per table. For DML it also records the planner's rows at production size
 * (EXPLAIN on the loaded sample) and the share of the statement's time spent reading (EXPLAIN ANALYZE). {@link EstimateFits} prints the study's tables from that file.
 * A program, not a test: the figures feed {@code docs/estimates-study.md}.
 *
 * <p>Arguments: {@code [csv file, default target/estimate-study.csv] [rounds, default 3]}.
 */
public final class EstimateStudy {
    static final String[] GENERATED = {"shop_000", "shop_001", "shop_005", "shop_020", "shop_100"};
    /**
     * The loaded sample, as it is and scaled up 5 times; then both vacuumed (frozen, hinted, all-visible) as production's
     * old rows are; and scaled up to a quarter of production's rows in each table the statements read, vacuumed: a
     * copy in production's proportions (the foreign-key closure gives the sample 21 % of the customers but 3 % of
     * the orders). Products stay at the sample's 62 %: scale-up only adds rows.
     */
    static final String[] SAMPLES = {"sample_x1", "sample_x5", "vacuumed_x1", "vacuumed_x5", "proportional"};
    private static final String PROPORTIONAL = "orders=500000,customers=50000,order_items=1000000";
    private static final RehearsalListener QUIET = event -> { };
    private static final ObjectMapper JSON = new ObjectMapper();

    private EstimateStudy() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "target/estimate-study.csv");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String major = System.getProperty("estimate.postgres", "18");
        long start = System.nanoTime();
        Path project = Files.createTempDirectory("estimate-study");
        List<String> lines = new ArrayList<>(List.of(EstimateFits.HEADER));
        try (ShadowDatabase server = TestShadows.embedded(major)) {
            ShopTemplates templates = new ShopTemplates(server);
            for (String database : GENERATED) {
                templates.create(database, Integer.parseInt(database.substring(5)) / 100.0);
            }
            sample(project, templates.url("shop_100"), server);
            StatisticsSnapshot snapshot = StatisticsFile.read(project.resolve("stats.json"));
            for (String database : SAMPLES) {
                load(templates, project, snapshot, database);
            }
            System.out.println("settings: " + settings(server));
            List<String> databases = new ArrayList<>(List.of(GENERATED));
            databases.addAll(List.of(SAMPLES));
            for (String table : EstimateShop.TABLES) {
                lines.add(EstimateFits.tableLine(table, "production", snapshot.tables().entrySet().stream()
                        .filter(e -> e.getKey().equals(table) || e.getKey().endsWith("." + table)).findFirst()
                        .orElseThrow().getValue().rows()));
                for (String database : databases) {
                    lines.add(EstimateFits.tableLine(table, database, rows(templates, database, table)));
                }
            }
            for (EstimateShop.Kind kind : EstimateShop.postgresKinds()) {
                Map<String, List<ShopTemplates.Run>> runs = new LinkedHashMap<>();
                // Round by round across the sizes, so that other work on the machine weighs on every size alike.
                for (int round = 0; round < rounds; round++) {
                    for (String database : databases) {
                        runs.computeIfAbsent(database, d -> new ArrayList<>()).add(templates.measure(database, kind.sql(), true));
                    }
                }
                for (String database : databases) {
                    ShopTemplates.Run median = median(runs.get(database));
                    Explained explained = kind.dml() && List.of(SAMPLES).contains(database)
                            ? explain(templates, database, kind.sql()) : new Explained(-1, -1);
                    String line = String.join(",", kind.name(), database, String.valueOf(rows(templates, database, kind.table())),
                            format(median.ms()), format(median.cpuMs()), String.valueOf(median.rows()),
                            String.valueOf(median.walBytes()), String.valueOf(median.tempBytes()),
                            String.valueOf(explained.plannedRows()), format(explained.readShare()),
                            String.join(" ", median.read().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()));
                    lines.add(line);
                    System.out.println(line);
                }
                Files.write(csv, lines);
            }
            System.out.printf("Rehearsal harness %s, PostgreSQL %s, %,d s in all; figures in %s%n", RehearsalResult.Tool.harness().version(),
                    server.serverVersion(), (System.nanoTime() - start) / 1_000_000_000, csv.toAbsolutePath());
        }
        EstimateFits.main(new String[] {csv.toString()});
    }

    /** A 1 % sample of every table of the full size, foreign keys closed, with production's statistics. */
    private static void sample(Path project, String url, ShadowDatabase server) throws Exception {
        Files.writeString(project.resolve("sample.json"), """
                {"tables": {"customers": {"percent": 1}, "products": {"percent": 1}, "orders": {"percent": 1},
                            "order_items": {"percent": 1}}}
                """);
        // As the server's own superuser, which schema:sample refuses unless told: the server is this program's.
        Sample.configure().projectDirectory(project).source(url, server.endpoint().user(), server.endpoint().password())
                .config(Path.of("sample.json")).dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                .allowWritableSource(true).seed(1).load().run(QUIET);
    }

    /**
     * The sample loaded as the rehearsal loads it into a template database of its own, scaled up as {@link #SAMPLES}
     * says; all but the {@code sample_} ones then vacuumed and given production's statistics again (VACUUM counts the
     * rows it finds).
     */
    private static void load(ShopTemplates templates, Path project, StatisticsSnapshot snapshot, String database)
            throws SQLException {
        try (Connection admin = templates.connect("shop_000"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("1")
                .dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                .scale(database.endsWith("x5") ? "5" : database.equals("proportional") ? PROPORTIONAL : null)
                .load().config();
        long start = System.nanoTime();
        try (Connection connection = templates.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : EstimateShop.tables(Engine.POSTGRESQL)) {
                statement.execute(sql);
            }
            for (String sql : EstimateShop.constraints()) {
                statement.execute(sql);
            }
            SampleData sampleData = new SampleData(Dialect.of(Engine.POSTGRESQL), config, QUIET);
            Data data = sampleData.load(connection, snapshot);
            long loaded = (System.nanoTime() - start) / 1_000_000;
            if (!database.startsWith("sample")) {
                statement.execute("VACUUM (FREEZE)");
                sampleData.refresh(connection, data, snapshot);
            }
            System.out.printf("%s: %s, loaded in %,d ms, ready in %,d ms%n", database, ShopTemplates.sizes(statement),
                    loaded, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * What the planner expects the DML to change at production's size, and the share of its time spent reading.
     *
     * @param plannedRows the rows the ModifyTable node is fed, as planned with production's statistics
     * @param readShare   the ModifyTable's input's time over the ModifyTable's, in EXPLAIN ANALYZE
     */
    record Explained(long plannedRows, double readShare) { }

    private static Explained explain(ShopTemplates templates, String template, String sql) throws Exception {
        String copy = template + "_explain";
        try (Connection admin = templates.connect("shop_000"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + copy + " TEMPLATE " + template + " STRATEGY FILE_COPY");
        }
        try (Connection connection = templates.connect(copy); Statement statement = connection.createStatement()) {
            statement.execute("SET max_parallel_workers_per_gather = 0");
            JsonNode planned = plan(statement, "EXPLAIN (FORMAT JSON) " + sql);
            connection.setAutoCommit(false);
            JsonNode analyzed = plan(statement, "EXPLAIN (ANALYZE, FORMAT JSON) " + sql);
            connection.rollback();
            JsonNode input = analyzed.get("Plans").get(0);
            return new Explained(planned.get("Plans").get(0).get("Plan Rows").asLong(),
                    input.get("Actual Total Time").asDouble() / analyzed.get("Actual Total Time").asDouble());
        } finally {
            try (Connection admin = templates.connect("shop_000")) {
                Dialect.of(Engine.POSTGRESQL).dropDatabase(admin, copy);
            }
        }
    }

    private static JsonNode plan(Statement statement, String explain) throws Exception {
        try (ResultSet rs = statement.executeQuery(explain)) {
            rs.next();
            return JSON.readTree(rs.getString(1)).get(0).get("Plan");
        }
    }

    private static ShopTemplates.Run median(List<ShopTemplates.Run> runs) {
        List<ShopTemplates.Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.ms(), b.ms()));
        return sorted.get(sorted.size() / 2);
    }

    private static long rows(ShopTemplates templates, String database, String table) throws SQLException {
        try (Connection connection = templates.connect(database); Statement statement = connection.createStatement()) {
            return ShopTemplates.number(statement, "SELECT count(*) FROM " + table);
        }
    }

    private static String settings(ShadowDatabase server) throws SQLException {
        try (Connection connection = server.connect(Purpose.CATALOG); Statement statement = connection.createStatement()) {
            List<String> settings = new ArrayList<>();
            for (String name : List.of("shared_buffers", "maintenance_work_mem", "work_mem", "max_wal_size", "fsync")) {
                try (ResultSet rs = statement.executeQuery("SELECT current_setting('" + name + "')")) {
                    rs.next();
                    settings.add(name + " " + rs.getString(1));
                }
            }
            return String.join(", ", settings);
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
