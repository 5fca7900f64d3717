package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
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
 * Generates a source of 2 million rows over 4 related tables on embedded PostgreSQL 15 (server-side, with
 * generate_series), samples 1 % of every table (the foreign-key closure adds the rows those reference, and two
 * columns are masked), and in the same run dumps the same tables with {@code pg_dump}; prints both times and their
 * ratio. Three rounds each (the first also warms the JVM and the server's cache); the best counts. A program, not a test: run it as the README says.
 *
 * <p>Arguments: {@code [pg_dump path, default /usr/lib/postgresql/15/bin/pg_dump, else pg_dump on the PATH]}.
 */
public final class SampleBenchmark {
    private static final List<String> TABLES = List.of("customers", "products", "orders", "order_items");

    private SampleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String pgDump = args.length > 0 ? args[0]
                : Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/pg_dump")) ? "/usr/lib/postgresql/15/bin/pg_dump" : "pg_dump";
        Path project = Files.createTempDirectory("sample-benchmark");
        try (ShadowDatabase server = TestShadows.embedded("15"); Connection connection = server.connect();
             Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            statement.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, "
                    + "country CHAR(2) NOT NULL, created_at TIMESTAMP NOT NULL)");
            statement.execute("CREATE TABLE products (id INT PRIMARY KEY, sku TEXT NOT NULL UNIQUE, title TEXT NOT NULL, "
                    + "price NUMERIC(10,2) NOT NULL)");
            statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers, "
                    + "placed_at TIMESTAMP NOT NULL, status TEXT NOT NULL, total NUMERIC(12,2) NOT NULL)");
            statement.execute("CREATE TABLE order_items (order_id BIGINT NOT NULL REFERENCES orders, line INT NOT NULL, "
                    + "product_id INT NOT NULL REFERENCES products, quantity INT NOT NULL, PRIMARY KEY (order_id, line))");
            statement.execute("INSERT INTO customers SELECT i, 'customer' || i || '@mail.test', 'Customer ' || i, "
                    + "(ARRAY['NL','DE','FR','US'])[1 + i % 4], timestamp '2020-01-01' + i * interval '1 minute' "
                    + "FROM generate_series(1, 200000) i");
            statement.execute("INSERT INTO products SELECT i, 'SKU-' || i, 'Product ' || i, (i % 5000) / 10.0 "
                    + "FROM generate_series(1, 50000) i");
            statement.execute("INSERT INTO orders SELECT i, 1 + (i::bigint * 7919) % 200000, timestamp '2023-01-01' + i * interval "
                    + "'30 seconds', (ARRAY['new','paid','shipped','delivered'])[1 + i % 4], (i % 100000) / 100.0 "
                    + "FROM generate_series(1, 600000) i");
            statement.execute("INSERT INTO order_items SELECT o, l, 1 + (o * 31 + l * 17) % 50000, 1 + (o + l) % 5 "
                    + "FROM generate_series(1, 600000) o, generate_series(1, 2) l");
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
            double sampleMs = Double.MAX_VALUE;
            double dumpMs = Double.MAX_VALUE;
            for (int round = 1; round <= 3; round++) {
                long began = System.nanoTime();
                SampleResult result = Sample.configure().projectDirectory(project)
                        .source(server.jdbcUrl(), server.user(), server.password()).config(Path.of("sample.json")).seed(1)
                        .load().run(event -> System.out.println(java.time.LocalTime.now() + " " + event.message()));
                double ms = (System.nanoTime() - began) / 1e6;
                sampleMs = Math.min(sampleMs, ms);
                long sampled = result.tables().stream().mapToLong(TableSample::rows).sum();
                long closure = result.tables().stream().mapToLong(TableSample::referenced).sum();
                System.out.printf("round %d sample:  %,8.0f ms, %,d rows written (%,d by the 1%% rules, %,d added by the "
                        + "foreign-key closure)%n", round, ms, sampled, sampled - closure, closure);
                began = System.nanoTime();
                run(dump(pgDump, server, project.resolve("dump.sql")), server.password());
                ms = (System.nanoTime() - began) / 1e6;
                dumpMs = Math.min(dumpMs, ms);
                System.out.printf("round %d pg_dump: %,8.0f ms, %,d MB%n", round, ms, Files.size(project.resolve("dump.sql")) >> 20);
            }
            System.out.printf("best: sample %,.0f ms, pg_dump %,.0f ms, ratio sample/pg_dump %.2f%n", sampleMs, dumpMs,
                    sampleMs / dumpMs);
        }
        System.out.println("Rehearsal harness " + Rehearsal.version());
    }

    private static List<String> dump(String pgDump, ShadowDatabase server, Path file) {
        Matcher url = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(server.jdbcUrl());
        if (!url.find()) {
            throw new IllegalStateException("no host and port in " + server.jdbcUrl());
        }
        List<String> command = new ArrayList<>(List.of(pgDump, "-h", url.group(1), "-p", url.group(2), "-U", server.user(),
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
