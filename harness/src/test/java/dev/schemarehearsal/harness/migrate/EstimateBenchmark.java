package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.sample.Sample;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How good the rehearsal's production estimates are. Generates {@link EstimateShop} at full size (2,000,000 orders,
 * 4,000,000 order items) as "production", takes a 1 % sample of it with {@link Sample} (CSV files and stats.json with
 * production's row counts, pages and column statistics), then for each statement kind measures the statement on
 * a full-size copy and rehearses it on the sample with {@link Rehearsal} (baseline: the shop's schema; pending: the
 * statement), and prints the full-size time beside the rehearsal's calibrated {@code estimatedProductionMs}, its range
 * and basis, and beside the rule it replaced (the shadow duration times the row ratio, from the same trace), with
 * their ratios to the full-size time and the share within 2×. A program, not a test: run it as the README says.
 *
 * <p>Arguments: {@code postgresql|mariadb [rounds, default 1] [kinds, comma-separated, default all]}. PostgreSQL is embedded, major version
 * {@code -Destimate.postgres} (default 18); each full-size measurement runs on a fresh copy of the generated
 * database. MariaDB is a {@code mariadb:10.11} container; its DDL commits, so each statement is undone after it is
 * measured (DML is rolled back). With several rounds the median full-size time counts.
 */
public final class EstimateBenchmark {
    private static final RehearsalListener QUIET = event -> { };

    private EstimateBenchmark() {
    }

    /** Durations under this count as this much in a ratio: below it no lock matters and the clock decides. */
    static final double FLOOR_MS = 10;

    /**
     * One statement kind: its full-size time, what the rehearsal of the sample estimated and what the rule it replaced
     * (the shadow duration times the largest row ratio of the tables it rewrote or scanned) makes of the same trace.
     */
    private record Row(EstimateShop.Kind kind, double fullMs, StatementResult rehearsed, long scaledMs) {
        Double ratio() {
            return rehearsed.estimatedProductionMs() == null ? null : ratio(rehearsed.estimatedProductionMs());
        }

        double scaledRatio() {
            return ratio(scaledMs);
        }

        double ratio(double estimateMs) {
            return Math.max(estimateMs, FLOOR_MS) / Math.max(fullMs, FLOOR_MS);
        }

        boolean inRange() {
            return rehearsed.estimatedProductionRange() != null && rehearsed.estimatedProductionRange().low() <= fullMs
                    && fullMs <= rehearsed.estimatedProductionRange().high();
        }
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.parse(args.length > 0 ? args[0] : "postgresql");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path project = Files.createTempDirectory("estimate-benchmark");
        String major = System.getProperty("estimate.postgres", "18");
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (ShadowDatabase server = engine == Engine.POSTGRESQL ? TestShadows.embedded(major)
                : TestShadows.container(Engine.MARIADB, "mariadb:10.11")) {
            ShopTemplates templates = new ShopTemplates(server);
            String production;
            if (engine == Engine.POSTGRESQL) {
                templates.create("shop_full", 1);
                production = templates.url("shop_full");
            } else {
                generateMariaDb(server);
                production = server.endpoint().url();
            }
            sample(project, production, server);
            List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
            List<EstimateShop.Kind> kinds = (engine == Engine.POSTGRESQL ? EstimateShop.postgresKinds()
                    : EstimateShop.mariadbKinds()).stream().filter(k -> only.isEmpty() || only.contains(k.name())).toList();
            for (EstimateShop.Kind kind : kinds) {
                double[] full = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    full[round] = engine == Engine.POSTGRESQL ? templates.measure("shop_full", kind.sql(), false).ms()
                            : measureMariaDb(server, kind);
                }
                RehearsalResult result = rehearse(project, server, kind);
                StatementResult rehearsed = result.migrations().get(0).statements().get(0);
                Row row = new Row(kind, median(full), rehearsed, scaled(rehearsed, result.data().statistics()));
                rows.add(row);
                System.out.printf(Locale.ROOT, "%-17s full size %,9.0f ms (rounds %s); rehearsal: %,7d ms on the sample, "
                                + "scaled %,d ms, estimate %s (%s)%n", kind.name(), row.fullMs(), rounds(full),
                        rehearsed.durationMs(), row.scaledMs(), rehearsed.estimatedProductionMs() == null ? "none"
                                : String.format(Locale.ROOT, "%,d ms", rehearsed.estimatedProductionMs()),
                        rehearsed.estimateBasis());
            }
            print(rows);
            System.out.printf("Rehearsal harness %s, %s %s, %,d s in all%n", RehearsalResult.Tool.harness().version(), engine.id(),
                    server.serverVersion(), (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    /** A 1 % sample of every table, foreign keys closed, with production's statistics. */
    private static void sample(Path project, String url, ShadowDatabase server) throws Exception {
        Files.writeString(project.resolve("sample.json"), """
                {"tables": {"customers": {"percent": 1}, "products": {"percent": 1}, "orders": {"percent": 1},
                            "order_items": {"percent": 1}}}
                """);
        long start = System.nanoTime();
        // As the server's own superuser, which schema:sample refuses unless told: the server is this program's.
        Sample.configure().projectDirectory(project).source(url, server.endpoint().user(), server.endpoint().password())
                .config(Path.of("sample.json")).dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                .allowWritableSource(true).seed(1).load().run(QUIET);
        List<String> files = new ArrayList<>();
        for (String table : EstimateShop.TABLES) {
            try (var lines = Files.lines(project.resolve("data").resolve(table + ".csv"))) {
                files.add(String.format(Locale.ROOT, "%s %,d rows", table, lines.count() - 1));
            }
        }
        System.out.printf("sample: %s, taken in %,d ms%n", String.join(", ", files),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The rule the calibrated estimate replaced, applied to the rehearsal's trace: the shadow duration times the
     * largest ratio of production's rows to the shadow's among the tables the statement rewrote or scanned.
     */
    private static long scaled(StatementResult statement, Statistics statistics) {
        double ratio = 1;
        List<String> worked = new ArrayList<>(statement.rewrites());
        worked.addAll(statement.scans());
        for (String table : worked) {
            ratio = Math.max(ratio, ProductionEstimates.size(statistics, table)
                    .map(rows -> (double) rows.rows() / rows.shadowRows()).orElse(1.0));
        }
        return Math.round(statement.durationMs() * ratio);
    }

    /** Rehearses the statement as the only pending migration on the sample, on a scratch database of the server. */
    private static RehearsalResult rehearse(Path project, ShadowDatabase server, EstimateShop.Kind kind) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("migrations").resolve(kind.name()));
        Files.writeString(migrations.resolve("V1__shop.sql"), EstimateShop.script(server.engine()));
        Files.writeString(migrations.resolve("V2__" + kind.name().replace('-', '_') + ".sql"), kind.sql() + ";\n");
        RehearsalResult result = Rehearsal.configure().projectDirectory(project).engine(server.engine().id())
                .server(server.endpoint().url(), server.endpoint().user(), server.endpoint().password())
                .locations(List.of("filesystem:" + migrations)).baseline("1")
                .dataDirectory(Path.of("data")).statistics(Path.of("stats.json"))
                .reportDirectory(project.resolve("reports").resolve(kind.name())).failOn("none")
                .load().run(QUIET);
        RehearsalResult.MigrationResult migration = result.migrations().get(0);
        if (migration.error() != null) {
            throw new IllegalStateException(kind.name() + " failed on the sample: " + migration.error());
        }
        return result;
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.println("| statement | full size | on the sample | duration × row ratio | ratio | calibrated estimate "
                + "| range | ratio | basis |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        int within = 0;
        int scaledWithin = 0;
        int inRange = 0;
        for (Row row : rows) {
            Double ratio = row.ratio();
            if (ratio != null && ratio >= 0.5 && ratio <= 2) {
                within++;
            }
            if (row.scaledRatio() >= 0.5 && row.scaledRatio() <= 2) {
                scaledWithin++;
            }
            inRange += row.inRange() ? 1 : 0;
            StatementResult rehearsed = row.rehearsed();
            System.out.printf(Locale.ROOT, "| %s | %,.0f ms | %,d ms | %,d ms | %.2f | %s | %s | %s | %s |%n",
                    row.kind().name(), row.fullMs(), rehearsed.durationMs(), row.scaledMs(), row.scaledRatio(),
                    rehearsed.estimatedProductionMs() == null ? "none"
                            : String.format(Locale.ROOT, "%,d ms", rehearsed.estimatedProductionMs()),
                    rehearsed.estimatedProductionRange() == null ? "-" : String.format(Locale.ROOT, "%,d – %,d ms%s",
                            rehearsed.estimatedProductionRange().low(), rehearsed.estimatedProductionRange().high(),
                            row.inRange() ? "" : " (misses)"),
                    ratio == null ? "-" : String.format(Locale.ROOT, "**%.2f**", ratio), rehearsed.estimateBasis());
        }
        System.out.printf(Locale.ROOT, "%nwithin 2x of the full-size time (under %.0f ms counting as %.0f ms): calibrated "
                        + "%d of %d (%.0f %%), duration × row ratio %d of %d; full-size time within the range: %d of %d%n",
                FLOOR_MS, FLOOR_MS, within, rows.size(), 100.0 * within / rows.size(), scaledWithin, rows.size(),
                inRange, rows.size());
    }

    /** The shop at full size in the container's database, with the SEQUENCE engine's seq_1_to_N tables. */
    private static void generateMariaDb(ShadowDatabase server) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = server.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
            for (String sql : EstimateShop.tables(Engine.MARIADB)) {
                statement.execute(sql);
            }
            for (String sql : EstimateShop.fill(Engine.MARIADB, 1)) {
                statement.execute(sql);
            }
            for (String sql : EstimateShop.constraints()) {
                statement.execute(sql);
            }
            for (String table : EstimateShop.TABLES) {
                statement.execute("ANALYZE TABLE " + table);
            }
            List<String> sizes = new ArrayList<>();
            for (String table : EstimateShop.TABLES) {
                sizes.add(String.format(Locale.ROOT, "%s %,d rows (%,d MB with indexes)", table,
                        ShopTemplates.number(statement, "SELECT count(*) FROM " + table),
                        ShopTemplates.number(statement, "SELECT (data_length + index_length) >> 20 FROM "
                                + "information_schema.tables WHERE table_schema = database() AND table_name = '" + table + "'")));
            }
            System.out.printf("production: %s, generated in %,d ms%n", String.join(", ", sizes),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Runs the statement on the full-size database, then undoes it: DML rolled back, DDL by its undo statement. */
    private static double measureMariaDb(ShadowDatabase server, EstimateShop.Kind kind) throws SQLException {
        try (Connection connection = server.connect(Purpose.MIGRATION); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(!kind.dml());
            long start = System.nanoTime();
            statement.executeUpdate(kind.sql());
            double ms = (System.nanoTime() - start) / 1e6;
            if (kind.dml()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (kind.undo() != null) {
                statement.execute(kind.undo());
            }
            return ms;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String rounds(double[] values) {
        return String.join(" / ", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }
}
