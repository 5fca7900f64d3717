package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads one generated CSV (5 columns) into the same server twice, through the harness and through the engine's
 * client tool ({@code psql \copy}, or the {@code mariadb} client's LOAD DATA LOCAL INFILE), and prints rows/s for
 * each and their ratio, and the harness's peak heap. A program, not a test: run it as the README says.
 *
 * <p>Arguments: {@code postgresql|mariadb [rows, default 2000000] [--harness-only]}.
 */
public final class LoadBenchmark {
    private static final String COLUMNS = "id, customer_id, amount, status, created_at";

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.parse(args.length > 0 ? args[0] : "postgresql");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        boolean harnessOnly = List.of(args).contains("--harness-only");
        Path project = Files.createTempDirectory("load-benchmark");
        Path csv = generate(Files.createDirectories(project.resolve("data")).resolve("bench.csv"), rows);
        System.out.printf("%s: %,d rows, %,d MB CSV%n", engine.id(), rows, Files.size(csv) >> 20);
        try (ShadowDatabase server = engine == Engine.POSTGRESQL ? TestShadows.embedded("15")
                : TestShadows.container(Engine.MARIADB, "mariadb:10.11");
             Connection connection = server.connect(Purpose.LOAD)) {
            String type = engine == Engine.POSTGRESQL ? "timestamp" : "datetime";
            for (String table : List.of("bench", "bench_client")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, "
                            + "amount NUMERIC(12,2) NOT NULL, status VARCHAR(20) NOT NULL, created_at " + type + " NOT NULL)");
                }
            }
            // Two rounds, client first then harness, each into an emptied table; the better of each counts.
            double client = 0;
            double harness = 0;
            for (int round = 1; round <= (harnessOnly ? 1 : 2); round++) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("TRUNCATE TABLE bench");
                    statement.execute("TRUNCATE TABLE bench_client");
                }
                if (!harnessOnly) {
                    long start = System.nanoTime();
                    run(clientCommand(server, csv));
                    double rate = rows / ((System.nanoTime() - start) / 1e9);
                    client = Math.max(client, rate);
                    System.out.printf("round %d client tool: %,.0f rows/s%n", round, rate);
                }
                TableLoad load = new CsvLoader(Dialect.of(engine), RehearsalListener.NONE, StandardCharsets.UTF_8, null)
                        .load(connection, project.resolve("data")).get(0).load();
                double rate = load.rows() / (load.durationMs() / 1000.0);
                harness = Math.max(harness, rate);
                System.out.printf("round %d harness:     %,.0f rows/s (%,d rows in %,d ms)%n", round, rate, load.rows(),
                        load.durationMs());
            }
            if (!harnessOnly) {
                System.out.printf("best: client %,.0f rows/s, harness %,.0f rows/s, ratio harness/client %.2f%n", client,
                        harness, harness / client);
            }
            System.out.printf("peak heap used: %,d MB of at most %,d MB%n", peakHeap() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Files.delete(csv);
        }
        System.out.println("Rehearsal harness " + RehearsalResult.Tool.harness().version());
    }

    /** Shaped like an orders table: increasing ids, skewed customers, a handful of statuses, timestamps. */
    private static Path generate(Path file, long rows) throws Exception {
        String[] statuses = {"delivered", "delivered", "delivered", "shipped", "pending", "cancelled, late"};
        Random random = new Random(42);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,customer_id,amount,status,created_at\n");
            for (long id = 1; id <= rows; id++) {
                String status = statuses[random.nextInt(statuses.length)];
                out.write(id + "," + (1 + (int) Math.abs(random.nextGaussian() * 50_000)) + ","
                        + random.nextInt(100_000) / 100.0 + "," + (status.contains(",") ? "\"" + status + "\"" : status)
                        + ",2024-" + String.format("%02d-%02d %02d:%02d:00", 1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextInt(24), random.nextInt(60)) + "\n");
            }
        }
        return file;
    }

    private static List<String> clientCommand(ShadowDatabase server, Path csv) {
        Matcher url = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(server.endpoint().url());
        if (!url.find()) {
            throw new IllegalStateException("no host and port in " + server.endpoint().url());
        }
        List<String> command = new ArrayList<>();
        if (server.engine() == Engine.POSTGRESQL) {
            command.addAll(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "postgresql://" + server.endpoint().user() + ":"
                    + server.endpoint().password() + "@" + url.group(1) + ":" + url.group(2) + "/" + url.group(3), "-c",
                    "\\copy bench_client (" + COLUMNS + ") FROM '" + csv + "' WITH (FORMAT csv, HEADER true)"));
        } else {
            command.addAll(List.of("mariadb", "-h127.0.0.1", "-P" + url.group(2), "-u" + server.endpoint().user(),
                    "-p" + server.endpoint().password(), "--local-infile=1", url.group(3), "-e",
                    "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE bench_client FIELDS TERMINATED BY ',' "
                            + "OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n' IGNORE 1 LINES (" + COLUMNS + ")"));
        }
        return command;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue());
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
