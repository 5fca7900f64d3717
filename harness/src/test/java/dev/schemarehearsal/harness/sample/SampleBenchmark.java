package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates a source of 2 million rows over 4 related tables on embedded PostgreSQL 15 ({@link ShopSource}), samples
 * 1 % of every table (the foreign-key closure adds the rows those reference, and two
 * columns are masked), and in the same run dumps the same tables with {@code pg_dump}; prints both times and their
 * ratio. Three rounds each (the first also warms the JVM and the server's cache); the best counts. A program, not a test: run it as the README says.
 *
 * <p>Arguments: {@code [pg_dump path, default /usr/lib/postgresql/15/bin/pg_dump, else pg_dump on the PATH]}.
 */
public final class SampleBenchmark {
    private static final List<String> TABLES = ShopSource.TABLES;

    private SampleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String pgDump = args.length > 0 ? args[0]
                : Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/pg_dump")) ? "/usr/lib/postgresql/15/bin/pg_dump" : "pg_dump";
        Path project = Files.createTempDirectory("sample-benchmark");
        try (ShadowDatabase server = TestShadows.embedded("15"); Connection connection = server.connect(Purpose.LOAD);
             Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            ShopSource.generate(statement);
            statement.execute("VACUUM ANALYZE");
            long rows = 0;
            for (String table : TABLES) {
                try (var rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
            System.out.printf("source: %,d rows in %d tables, generated in %,d ms%n", rows, TABLES.size(),
                    (System.nanoTime() - start) / 1_000_000);
            Files.writeString(project.resolve("sample.json"), """
                    {"tables": {"customers": {"percent": 1}, "products": {"percent": 1}, "orders": {"percent": 1},
                                "order_items": {"percent": 1}},
                     "masks": {"customers.email": "email", "customers.name": "name"}}
                    """);
            SelectOnlyUser.Credentials reader = SelectOnlyUser.create(connection, Engine.POSTGRESQL);
            double sampleMs = Double.MAX_VALUE;
            double dumpMs = Double.MAX_VALUE;
            for (int round = 1; round <= 3; round++) {
                long began = System.nanoTime();
                SampleResult result = Sample.configure().projectDirectory(project)
                        .source(reader.url(server.endpoint().url()), reader.user(), reader.password()).config(Path.of("sample.json")).seed(1)
                        .load().run(event -> System.out.println(java.time.LocalTime.now() + " " + event.message()));
                double ms = (System.nanoTime() - began) / 1e6;
                sampleMs = Math.min(sampleMs, ms);
                long sampled = result.tables().stream().mapToLong(TableSample::rows).sum();
                long closure = result.tables().stream().mapToLong(TableSample::referenced).sum();
                System.out.printf("round %d sample:  %,8.0f ms, %,d rows written (%,d by the 1%% rules, %,d added by the "
                        + "foreign-key closure)%n", round, ms, sampled, sampled - closure, closure);
                began = System.nanoTime();
                run(dump(pgDump, server, project.resolve("dump.sql")), server.endpoint().password());
                ms = (System.nanoTime() - began) / 1e6;
                dumpMs = Math.min(dumpMs, ms);
                System.out.printf("round %d pg_dump: %,8.0f ms, %,d MB%n", round, ms, Files.size(project.resolve("dump.sql")) >> 20);
            }
            System.out.printf("best: sample %,.0f ms, pg_dump %,.0f ms, ratio sample/pg_dump %.2f%n", sampleMs, dumpMs,
                    sampleMs / dumpMs);
        }
        System.out.println("Rehearsal harness " + RehearsalResult.Tool.harness().version());
    }

    private static List<String> dump(String pgDump, ShadowDatabase server, Path file) {
        Matcher url = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(server.endpoint().url());
        if (!url.find()) {
            throw new IllegalStateException("no host and port in " + server.endpoint().url());
        }
        List<String> command = new ArrayList<>(List.of(pgDump, "-h", url.group(1), "-p", url.group(2), "-U", server.endpoint().user(),
                "-d", url.group(3), "-f", file.toString()));
        TABLES.forEach(table -> command.addAll(List.of("-t", table)));
        return command;
    }

    private static void run(List<String> command, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("PGPASSWORD", password == null ? "" : password);
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue());
        }
    }
}
