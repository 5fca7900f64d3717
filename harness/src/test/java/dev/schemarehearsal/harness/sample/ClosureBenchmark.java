package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code schema:sample} against the engine's own dump of the same tables, in the same run, on a generated source with
 * self-references (customers' referrers, employees' managers), a cycle (departments' heads are employees of
 * departments), a composite key (products by sku and variant) and, on PostgreSQL, a foreign key without an index
 * (order_items(sku, variant); InnoDB indexes every foreign key itself). The sample takes 1 % of four tables and the
 * items of the sampled orders and products, up to a limit; the dump is {@code pg_dump --data-only} or
 * {@code mariadb-dump --no-create-info} of every table the sample reads. Three rounds each; the best counts. Prints both
 * times, their ratio and the sample's peak heap. A program, not a test: run it as the README says.
 *
 * <p>Arguments: {@code postgresql|mariadb [rows, default 5000000] [percent, default 1] [dump tool path]}.
 */
public final class ClosureBenchmark {
    static final List<String> TABLES = List.of("customers", "departments", "employees", "products", "orders",
            "order_items");

    private ClosureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.valueOf(args.length > 0 ? args[0].toUpperCase(java.util.Locale.ROOT) : "POSTGRESQL");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000;
        double percent = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        String tool = args.length > 3 ? args[3] : engine == Engine.POSTGRESQL
                ? (Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/pg_dump")) ? "/usr/lib/postgresql/15/bin/pg_dump"
                : "pg_dump") : "mariadb-dump";
        Path project = Files.createTempDirectory("closure-benchmark");
        try (ShadowDatabase server = engine == Engine.POSTGRESQL ? TestShadows.embedded("15")
                : TestShadows.container(Engine.MARIADB, "mariadb:10.11");
             Connection connection = server.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            generate(statement, engine, rows);
            long total = 0;
            for (String table : TABLES) {
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
            System.out.printf("source: %,d rows in %d tables on %s, generated in %,d ms%n", total, TABLES.size(),
                    engine.id(), (System.nanoTime() - start) / 1_000_000);
            long limit = Math.round(rows * 6 / 10.0 * percent / 100 * 1.5);
            Files.writeString(project.resolve("sample.json"), String.format(java.util.Locale.ROOT, """
                    {"tables": {"customers": {"percent": %1$s}, "orders": {"percent": %1$s}, "products": {"percent": %1$s},
                                "employees": {"percent": %1$s},
                                "order_items": {"via": ["order_id", "sku, variant"], "referencing": %2$d}},
                     "masks": {"customers.email": "email", "customers.name": "name"}}
                    """, percent, limit));
            SelectOnlyUser.Credentials reader = SelectOnlyUser.create(connection, engine);
            double sampleMs = Double.MAX_VALUE;
            double dumpMs = Double.MAX_VALUE;
            long peak = 0;
            long held = 0;
            long retained = 0;
            for (int round = 1; round <= 3; round++) {
                resetPeaks();
                long baseline = usedAfterGc();
                long[] closed = new long[1];
                boolean measure = round == 1;
                long began = System.nanoTime();
                SampleResult result = Sample.configure().projectDirectory(project)
                        .source(reader.url(server.endpoint().url()), reader.user(), reader.password())
                        .config(Path.of("sample.json")).seed(1)
                        .load().run(event -> {
                            System.out.println(java.time.LocalTime.now() + " " + event.message());
                            // What the sample holds once the closure is done: its rows and their keys. Only in the
                            // first round, the JVM's warm-up, as the collection takes time.
                            if (measure && event.message().startsWith("Foreign-key closure reached its fixpoint")) {
                                closed[0] = usedAfterGc() - baseline;
                            }
                        });
                double ms = (System.nanoTime() - began) / 1e6;
                peak = Math.max(peak, peakHeap());
                sampleMs = Math.min(sampleMs, ms);
                held = result.tables().stream().mapToLong(TableSample::rows).sum();
                retained = measure ? closed[0] : retained;
                long closure = result.tables().stream().mapToLong(t -> t.referenced() + t.referencing()).sum();
                System.out.printf("round %d sample: %,8.0f ms, %,d rows written (%,d by the rules, %,d added by the "
                        + "closure)%n", round, ms, held, held - closure, closure);
                Path dump = project.resolve("dump.sql");
                began = System.nanoTime();
                run(engine == Engine.POSTGRESQL ? pgDump(tool, server, dump) : mariadbDump(tool, server, dump), server,
                        engine, dump);
                ms = (System.nanoTime() - began) / 1e6;
                dumpMs = Math.min(dumpMs, ms);
                System.out.printf("round %d %s: %,8.0f ms, %,d MB%n", round, Path.of(tool).getFileName(), ms,
                        Files.size(dump) >> 20);
            }
            long maxHeap = Runtime.getRuntime().maxMemory();
            System.out.printf("best: sample %,.0f ms, %s %,.0f ms, ratio sample/dump %.2f%n", sampleMs,
                    Path.of(tool).getFileName(), dumpMs, sampleMs / dumpMs);
            System.out.printf("heap: peak %,d MB of %,d MB (-Xmx) while sampling %,d rows; held after the closure %,d MB: "
                    + "%,.0f MB per million rows held%n", peak >> 20, maxHeap >> 20, held, retained >> 20,
                    (retained / 1048576.0) / (held / 1e6));
        }
        System.out.println("Rehearsal harness " + RehearsalResult.Tool.harness().version());
    }

    /**
     * The source, made on the server: rows / 10 customers referring each other (a chain to the first), rows / 50
     * products, rows × 3 / 10 orders of 2 items each, departments whose heads are employees of departments, employees
     * with managers.
     */
    static void generate(Statement statement, Engine engine, long rows) throws SQLException {
        boolean pg = engine == Engine.POSTGRESQL;
        long customers = rows / 10;
        long products = Math.max(1000, rows / 50);
        long orders = rows * 3 / 10;
        long employees = Math.max(100, rows / 500);
        long departments = Math.max(10, rows / 50_000);
        statement.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, referrer_id BIGINT, name VARCHAR(60) NOT NULL, "
                + "email VARCHAR(80) NOT NULL, CONSTRAINT customers_referrer FOREIGN KEY (referrer_id) REFERENCES customers (id))");
        statement.execute("CREATE TABLE departments (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, head_id INT)");
        statement.execute("CREATE TABLE employees (id INT PRIMARY KEY, department_id INT NOT NULL, manager_id INT, "
                + "name VARCHAR(40) NOT NULL, CONSTRAINT employees_department FOREIGN KEY (department_id) REFERENCES "
                + "departments (id), CONSTRAINT employees_manager FOREIGN KEY (manager_id) REFERENCES employees (id))");
        statement.execute("CREATE TABLE products (sku VARCHAR(20), variant INT, title VARCHAR(60) NOT NULL, "
                + "price DECIMAL(10,2) NOT NULL, PRIMARY KEY (sku, variant))");
        statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, placed DATE NOT NULL, "
                + "total DECIMAL(12,2) NOT NULL, CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id))");
        statement.execute("CREATE TABLE order_items (order_id BIGINT, line INT, sku VARCHAR(20) NOT NULL, variant INT "
                + "NOT NULL, qty INT NOT NULL, PRIMARY KEY (order_id, line), CONSTRAINT order_items_order FOREIGN KEY "
                + "(order_id) REFERENCES orders (id), CONSTRAINT order_items_product FOREIGN KEY (sku, variant) "
                + "REFERENCES products (sku, variant))");
        if (!pg) {
            statement.execute("SET foreign_key_checks = 0");
            statement.execute("SET unique_checks = 0");
        }
        String text = pg ? "CAST(%s AS TEXT)" : "%s";
        String day = pg ? "DATE '2023-01-01' + CAST(%s AS INT)" : "DATE '2023-01-01' + INTERVAL %s DAY";
        insert(statement, pg, "customers", customers, "{i}, CASE WHEN {i} > 1 THEN FLOOR({i} / 2) END, CONCAT('Customer ', "
                + String.format(text, "{i}") + "), CONCAT('customer', " + String.format(text, "{i}") + ", '@mail.test')");
        insert(statement, pg, "departments", departments, "{i}, CONCAT('Department ', " + String.format(text, "{i}")
                + "), {i} * 10");
        insert(statement, pg, "employees", employees, "{i}, 1 + {i} % " + departments + ", CASE WHEN {i} > 1 THEN FLOOR({i} / 2) "
                + "END, CONCAT('Employee ', " + String.format(text, "{i}") + ")");
        insert(statement, pg, "products", products, "CONCAT('SKU', " + String.format(text, "({i} - 1) % 1000")
                + "), FLOOR(({i} - 1) / 1000), CONCAT('Product ', " + String.format(text, "{i}") + "), ({i} % 5000) / 10.0");
        insert(statement, pg, "orders", orders, "{i}, 1 + ({i} * 7919) % " + customers + ", " + String.format(day, "{i} % 1000")
                + ", ({i} % 100000) / 100.0");
        for (int line = 1; line <= 2; line++) {
            String product = "(({i} * 31 + " + line * 17 + ") % " + products + ")";
            insert(statement, pg, "order_items", orders, "{i}, " + line + ", CONCAT('SKU', " + String.format(text,
                    product + " % 1000") + "), FLOOR(" + product + " / 1000), 1 + ({i} + " + line + ") % 5");
        }
        if (pg) {
            statement.execute("ALTER TABLE departments ADD CONSTRAINT departments_head FOREIGN KEY (head_id) "
                    + "REFERENCES employees (id)");
            statement.execute("VACUUM ANALYZE");
        } else {
            statement.execute("ALTER TABLE departments ADD CONSTRAINT departments_head FOREIGN KEY (head_id) "
                    + "REFERENCES employees (id)");
            statement.execute("SET foreign_key_checks = 1");
            statement.execute("ANALYZE TABLE " + String.join(", ", TABLES));
        }
    }

    private static void insert(Statement statement, boolean pg, String table, long count, String select)
            throws SQLException {
        String series = pg ? "generate_series(CAST(1 AS BIGINT), " + count + ") AS s(i)" : "seq_1_to_" + count + " AS s";
        statement.execute("INSERT INTO " + table + " SELECT " + select.replace("{i}", pg ? "i" : "seq") + " FROM " + series);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The heap in use after a full collection: what is reachable. */
    private static long usedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The most heap in use at once: the peaks of its pools added up, an upper bound. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static Matcher url(ShadowDatabase server) {
        Matcher url = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(server.endpoint().url());
        if (!url.find()) {
            throw new IllegalStateException("no host and port in " + server.endpoint().url());
        }
        return url;
    }

    private static List<String> pgDump(String tool, ShadowDatabase server, Path file) {
        Matcher url = url(server);
        List<String> command = new ArrayList<>(List.of(tool, "--data-only", "-h", url.group(1), "-p", url.group(2), "-U",
                server.endpoint().user(), "-d", url.group(3), "-f", file.toString()));
        TABLES.forEach(table -> command.addAll(List.of("-t", table)));
        return command;
    }

    private static List<String> mariadbDump(String tool, ShadowDatabase server, Path file) {
        Matcher url = url(server);
        List<String> command = new ArrayList<>(List.of(tool, "--no-create-info", "--skip-triggers", "--single-transaction",
                "--protocol=TCP", "-h", url.group(1), "-P", url.group(2), "-u", server.endpoint().user(),
                "--result-file=" + file, url.group(3)));
        command.addAll(TABLES);
        return command;
    }

    private static void run(List<String> command, ShadowDatabase server, Engine engine, Path file) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        String password = server.endpoint().password() == null ? "" : server.endpoint().password();
        builder.environment().put(engine == Engine.POSTGRESQL ? "PGPASSWORD" : "MYSQL_PWD", password);
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue());
        }
    }
}
