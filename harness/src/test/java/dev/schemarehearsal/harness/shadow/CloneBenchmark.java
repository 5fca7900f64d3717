package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code shadow=clone} against the same work done by hand. A local PostgreSQL 15 server (the installed binaries,
 * {@code initdb} into a temporary folder, started on a free localhost port, stopped at the end) holds {@code prod}, a
 * 2,000,000-row table at V2 with Flyway's history. The pending migrations are timed with {@code psql \timing} on a
 * template copy, then rehearsed with {@code shadow=clone} from the template and from the README's clone command, in
 * three interleaved rounds; each statement's median duration is printed beside psql's, with their ratio, and whether
 * each clone was gone at the end. A backfill over all 2,000,000 rows is sampled in a 10 s time box in each template
 * round, its extrapolated total printed beside the real total of a full batched run on another copy and beside the
 * rehearsal's own walk of every batch.
 *
 * <pre>
 * java -cp … dev.schemarehearsal.harness.shadow.CloneBenchmark        # optionally: the PostgreSQL bin folder
 * </pre>
 */
public final class CloneBenchmark {
    private static final long ROWS = 2_000_000;
    private static final int BATCH = 5_000;
    private static final long SAMPLE_SECONDS = 10;
    private static final int ROUNDS = 3;
    private static final Map<String, String> PENDING = new LinkedHashMap<>();

    static {
        PENDING.put("V3__tier.sql", "ALTER TABLE items ADD COLUMN tier text");
        PENDING.put("V4__customer_bigint.sql", "ALTER TABLE items ALTER COLUMN customer_id TYPE bigint");
        PENDING.put("V5__status_index.sql", "CREATE INDEX items_status ON items (status)");
        PENDING.put("V6__amount_check.sql", "ALTER TABLE items ADD CONSTRAINT amount_positive CHECK (amount >= 0)");
    }

    private final Path bin;
    private final Path folder;
    private final int port;

    private CloneBenchmark(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        Path bin = Path.of(args.length > 0 ? args[0] : "/usr/lib/postgresql/15/bin");
        Path folder = Files.createTempDirectory("clone-benchmark-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CloneBenchmark benchmark = new CloneBenchmark(bin, folder, port);
        try {
            benchmark.start();
            benchmark.run();
        } finally {
            benchmark.stop();
        }
    }

    private void run() throws Exception {
        Path project = folder.resolve("project");
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__items.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, customer_id int "
                + "NOT NULL, status text NOT NULL, amount numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, note text);\n");
        Files.writeString(migrations.resolve("V2__items_customer.sql"), "CREATE INDEX items_customer ON items (customer_id);\n");
        sql("postgres", "CREATE DATABASE prod");
        Flyway.configure().dataSource(url("prod"), "postgres", null).locations("filesystem:" + migrations).load().migrate();
        long start = System.nanoTime();
        sql("prod", "INSERT INTO items SELECT g, g % 100000, (ARRAY['new','paid','shipped','returned'])[1 + g % 4], "
                + "(g % 10000) / 100.0, timestamptz '2020-01-01' + g * interval '1 minute', md5(g::text) "
                + "FROM generate_series(1, " + ROWS + ") g", "VACUUM ANALYZE items");
        System.out.printf("Production: %,d rows in items, %s, made in %,d ms%n", ROWS,
                single("prod", "SELECT pg_size_pretty(pg_total_relation_size('items'))"), ms(start));
        for (Map.Entry<String, String> script : PENDING.entrySet()) {
            Files.writeString(migrations.resolve(script.getKey()), script.getValue() + ";\n");
        }
        Path backfills = Files.createDirectories(project.resolve("src/rehearsal/backfills"));
        Files.writeString(backfills.resolve("tier.sql"), "-- backfill: items_tier\n-- after: 6\n-- table: items\n"
                + "-- key: id\n-- batch: " + BATCH + "\n" + backfill() + ";\n");

        String psqlEnv = "env PGUSER=postgres sh ";
        // Run from the repository's root, as docs/benchmarks.md says, or from harness/.
        Path recipe = Path.of(Files.isDirectory(Path.of("fixtures/clone")) ? "fixtures/clone" : "../fixtures/clone")
                .toAbsolutePath().normalize();
        // Rounds interleaved, so that the machine's load weighs on each way alike; the medians are compared.
        List<Map<String, Double>> psql = new ArrayList<>();
        List<Rehearsed> templates = new ArrayList<>();
        List<Rehearsed> commands = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            System.out.printf("Round %d of %d%n", round, ROUNDS);
            psql.add(byHand());
            templates.add(rehearse("template", Rehearsal.configure().projectDirectory(project).shadow("clone")
                    .cloneTemplate("prod").server(url("postgres"), "postgres", null).backfillSampleSeconds(SAMPLE_SECONDS)));
            commands.add(rehearse("command", Rehearsal.configure().projectDirectory(project).shadow("clone")
                    .server(null, "postgres", null)
                    .cloneCommand(psqlEnv + recipe.resolve("clone-create.sh") + " 127.0.0.1 " + port + " prod")
                    .cloneDestroyCommand(psqlEnv + recipe.resolve("clone-destroy.sh") + " 127.0.0.1 " + port)
                    .backfillSampleSeconds(SAMPLE_SECONDS)));
        }

        System.out.println();
        System.out.printf("Medians of %d rounds:%n%n", ROUNDS);
        System.out.println("| migration | psql on a template copy | shadow=clone, template | ratio | shadow=clone, command | ratio |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (String script : PENDING.keySet()) {
            double hand = median(psql.stream().map(times -> Math.round(times.get(script))).toList());
            long byTemplate = median(templates.stream().map(r -> r.durations.get(script)).toList());
            long byCommand = median(commands.stream().map(r -> r.durations.get(script)).toList());
            System.out.printf("| `%s` | %,.0f ms | %,d ms | %.2f | %,d ms | %.2f |%n", PENDING.get(script), hand,
                    byTemplate, byTemplate / Math.max(1, hand), byCommand, byCommand / Math.max(1, hand));
        }
        System.out.printf("%nClone created and gone in every round: template %s, command %s%n",
                templates.stream().allMatch(Rehearsed::createdAndGone), commands.stream().allMatch(Rehearsed::createdAndGone));

        long whole = fullBackfill();
        // The same backfill walked whole by the rehearsal, probes running beside it: what sampling adds apart.
        BackfillResult walked = rehearse("template, every batch", Rehearsal.configure().projectDirectory(project)
                .shadow("clone").cloneTemplate("prod").server(url("postgres"), "postgres", null).backfillSampleSeconds(0L))
                .result.backfills().get(0);
        System.out.printf("%nBackfill over %,d rows, batches of %,d, time box %d s; real total of a full batched run: "
                + "%,d ms%n", ROWS, BATCH, SAMPLE_SECONDS, whole);
        for (Rehearsed rehearsed : templates) {
            BackfillResult sampled = rehearsed.result.backfills().get(0);
            System.out.printf("  sampled: %,d batches, %,d rows, %,.0f rows/s, batch p50/p95 %d/%d ms, %,d keys "
                            + "estimated; extrapolated total %,d ms (%,d to %,d ms); extrapolated / real: %.2f%n",
                    sampled.batches(), sampled.rows(), sampled.rowsPerSecond(), sampled.batchMs().p50(),
                    sampled.batchMs().p95(), sampled.productionRows(), sampled.estimatedProductionMs(),
                    sampled.estimatedProductionRange().low(), sampled.estimatedProductionRange().high(),
                    sampled.estimatedProductionMs() / (double) whole);
        }
        System.out.printf("  the rehearsal walking every batch, probes beside it: %,d batches, %,d ms, %,.0f rows/s, "
                        + "batch p50/p95 %d/%d ms%n", walked.batches(), walked.durationMs(), walked.rowsPerSecond(),
                walked.batchMs().p50(), walked.batchMs().p95());
        // Whether batches run soon after the migrations are slower: the walk's first time box against the rest.
        long elapsed = 0;
        List<Long> early = new ArrayList<>();
        List<Long> late = new ArrayList<>();
        for (RehearsalResult.Batch batch : walked.perBatch()) {
            (elapsed < SAMPLE_SECONDS * 1000 ? early : late).add(batch.durationMs());
            elapsed += batch.durationMs();
        }
        System.out.printf("  the walk's batches in its first %d s: %d, p50 %d ms; after: %d, p50 %d ms%n", SAMPLE_SECONDS,
                early.size(), median(early), late.size(), median(late));
    }

    /** The rehearsal's measured durations per script, and whether its clone was there during the run and gone after. */
    private record Rehearsed(RehearsalResult result, Map<String, Long> durations, boolean createdAndGone) { }

    private Rehearsed rehearse(String mode, Rehearsal.Builder builder) throws Exception {
        List<String> seen = new ArrayList<>();
        RehearsalListener listener = event -> {
            if (event.message().startsWith("Shadow started") || event.message().startsWith("Clone made")) {
                seen.add(event.message());
            }
        };
        long start = System.nanoTime();
        RehearsalResult result = builder.failOn("none").load().run(listener);
        System.out.printf("shadow=clone (%s): %,d ms in all; %s%n", mode, ms(start), String.join("; ", seen));
        Map<String, Long> durations = new LinkedHashMap<>();
        for (MigrationResult migration : result.migrations()) {
            durations.put(migration.script(), migration.statements().stream()
                    .mapToLong(RehearsalResult.StatementResult::durationMs).sum());
        }
        boolean created = seen.stream().anyMatch(m -> m.contains("schema_rehearsal_"));
        return new Rehearsed(result, durations, created && copies().isEmpty());
    }

    /** Each pending statement with psql's {@code \timing}, in order, on a fresh copy of the template. */
    private Map<String, Double> byHand() throws Exception {
        sql("postgres", "CREATE DATABASE by_hand TEMPLATE prod");
        Map<String, Double> times = new LinkedHashMap<>();
        Pattern time = Pattern.compile("Time: ([0-9.]+) ms");
        for (Map.Entry<String, String> script : PENDING.entrySet()) {
            String out = command(List.of(bin.resolve("psql").toString(), "-X", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-U", "postgres", "-d", "by_hand", "-v", "ON_ERROR_STOP=1", "-c", "\\timing on",
                    "-c", script.getValue()));
            Matcher matcher = time.matcher(out);
            if (!matcher.find()) {
                throw new IllegalStateException("psql printed no time: " + out);
            }
            times.put(script.getKey(), Double.parseDouble(matcher.group(1)));
        }
        sql("postgres", "DROP DATABASE by_hand");
        System.out.println("psql on a template copy: " + times);
        return times;
    }

    /** Every batch of the backfill, keyset by keyset and committed, on a fresh copy of the template with V3 applied. */
    private long fullBackfill() throws SQLException {
        sql("postgres", "CREATE DATABASE full_run TEMPLATE prod");
        sql("full_run", PENDING.get("V3__tier.sql"));
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url("full_run"), "postgres", null);
             PreparedStatement bound = connection.prepareStatement("SELECT max(id), count(*) FROM (SELECT id FROM items "
                     + "WHERE id > ? ORDER BY id LIMIT " + BATCH + ") batch");
             PreparedStatement update = connection.prepareStatement(backfill().replace(":from", "?").replace(":to", "?"))) {
            connection.setAutoCommit(false);
            long from = 0;
            while (true) {
                bound.setLong(1, from);
                long to;
                try (ResultSet rs = bound.executeQuery()) {
                    rs.next();
                    if (rs.getLong(2) == 0) {
                        break;
                    }
                    to = rs.getLong(1);
                }
                connection.commit();
                update.setLong(1, from);
                update.setLong(2, to);
                update.executeUpdate();
                connection.commit();
                from = to;
            }
        }
        long ms = ms(start);
        sql("postgres", "DROP DATABASE full_run");
        return ms;
    }

    private static String backfill() {
        return "UPDATE items SET tier = CASE WHEN amount > 50 THEN 'gold' ELSE 'bronze' END WHERE id > :from AND id <= :to "
                + "AND tier IS NULL";
    }

    private List<String> copies() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", null);
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT datname FROM pg_database WHERE datname LIKE 'schema\\_rehearsal\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private void start() throws Exception {
        Path data = folder.resolve("data");
        // initdb refuses to run as root: the server then runs as postgres, owning the folder.
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            command(List.of("chown", "-R", "postgres", folder.toString()));
        }
        command(asServer(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "--no-sync")));
        command(asServer(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                folder.resolve("server.log").toString(), "-w", "-o", "-p " + port + " -k " + folder
                        + " -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB", "start")));
        System.out.printf("PostgreSQL 15 (%s) started on 127.0.0.1:%d in %s%n", bin, port, data);
    }

    private void stop() {
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            command(asServer(root, List.of(bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(),
                    "-m", "fast", "-w", "stop")));
            command(List.of("rm", "-rf", folder.toString()));
            System.out.println("Server stopped, " + folder + " removed");
        } catch (Exception e) {
            System.out.println("Could not stop the server in " + folder + ": " + e.getMessage());
        }
    }

    private static List<String> asServer(boolean root, List<String> command) {
        List<String> all = new ArrayList<>(root ? List.of("runuser", "-u", "postgres", "--") : List.of());
        all.addAll(command);
        return all;
    }

    private static String command(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private void sql(String database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(database), "postgres", null);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private String single(String database, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(database), "postgres", null);
             ResultSet rs = connection.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static long median(List<Long> values) {
        return values.isEmpty() ? 0 : values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
