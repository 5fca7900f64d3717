package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the EXPLAIN documents the plan parser tests read (src/test/resources/plans): the same small schema and
 * queries on embedded PostgreSQL 14 to 18 and a mariadb:10.11 container, each plan as EXPLAIN and as
 * EXPLAIN ANALYZE. Run it from the harness module with the test classpath:
 * {@code java -cp … dev.schemarehearsal.harness.dialect.PlanRecorder src/test/resources/plans}.
 */
public final class PlanRecorder {
    private static final List<String> POSTGRES_SETUP = List.of(
            "CREATE TABLE customers (id int PRIMARY KEY, country text NOT NULL, name text NOT NULL)",
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, status text NOT NULL,"
                    + " total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL)",
            "CREATE INDEX orders_customer_id_idx ON orders (customer_id)",
            "CREATE TABLE events (id int NOT NULL, at date NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at)",
            "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            "CREATE INDEX events_at_idx ON events (at)",
            "INSERT INTO customers SELECT g, (ARRAY['DE','FR','NL','PL'])[1 + g % 4], 'customer ' || g"
                    + " FROM generate_series(1, 20000) g",
            "INSERT INTO orders SELECT g, 1 + g % 20000, (ARRAY['pending','shipped','delivered'])[1 + g % 3], g % 500,"
                    + " timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 200000) g",
            "INSERT INTO events SELECT g, date '2024-01-01' + (g % 700), 'k' || g % 10 FROM generate_series(1, 100000) g",
            "ANALYZE");
    /** Parallel plans on a small table: the planner is told parallel workers cost nothing. */
    private static final List<String> POSTGRES_PARALLEL = List.of("SET parallel_setup_cost = 0",
            "SET parallel_tuple_cost = 0", "SET min_parallel_table_scan_size = 0", "SET max_parallel_workers_per_gather = 2");

    private static final List<String> MARIADB_SETUP = List.of(
            "CREATE TABLE customers (id int PRIMARY KEY, country char(2) NOT NULL, name varchar(40) NOT NULL)",
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status varchar(12) NOT NULL,"
                    + " total decimal(12,2) NOT NULL, created_at datetime NOT NULL, KEY orders_customer_id_idx (customer_id),"
                    + " FOREIGN KEY (customer_id) REFERENCES customers (id))",
            "CREATE TABLE events (id int NOT NULL, at date NOT NULL, kind varchar(8) NOT NULL, KEY events_at_idx (at))"
                    + " PARTITION BY RANGE COLUMNS (at) (PARTITION p2024 VALUES LESS THAN ('2025-01-01'),"
                    + " PARTITION p2025 VALUES LESS THAN ('2026-01-01'))",
            "INSERT INTO customers SELECT seq, ELT(1 + seq % 4, 'DE', 'FR', 'NL', 'PL'), CONCAT('customer ', seq)"
                    + " FROM seq_1_to_20000",
            "INSERT INTO orders SELECT seq, 1 + seq % 20000, ELT(1 + seq % 3, 'pending', 'shipped', 'delivered'), seq % 500,"
                    + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE FROM seq_1_to_200000",
            "INSERT INTO events SELECT seq, DATE '2024-01-01' + INTERVAL (seq % 700) DAY, CONCAT('k', seq % 10)"
                    + " FROM seq_1_to_100000",
            "ANALYZE TABLE customers, orders, events");

    private static Map<String, String> queries(boolean postgres) {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("nested-loop", "SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id "
                + "WHERE c.id = 42");
        queries.put("hash-join", "SELECT c.country, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                + "WHERE o.status = 'pending' GROUP BY c.country");
        queries.put("cte", "WITH spent AS " + (postgres ? "MATERIALIZED " : "") + "(SELECT customer_id, sum(total) AS total "
                + "FROM orders GROUP BY customer_id) SELECT c.name, spent.total FROM spent JOIN customers c "
                + "ON c.id = spent.customer_id ORDER BY spent.total DESC LIMIT 10");
        queries.put("subplan", "SELECT c.id, (SELECT max(o.total) FROM orders o WHERE o.customer_id = c.id) AS top "
                + "FROM customers c WHERE c.country = 'DE' AND c.id < 500");
        queries.put("initplan", "SELECT id, total FROM orders WHERE total > (SELECT avg(total) FROM orders) "
                + "ORDER BY id LIMIT 5");
        queries.put("partitioned", "SELECT kind, count(*) FROM events WHERE at >= '2024-12-01' AND at < '2025-02-01' "
                + "GROUP BY kind");
        if (postgres) {
            queries.put("parallel", "SELECT status, count(*) FROM orders GROUP BY status");
        }
        return queries;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/plans");
        for (String major : List.of("14", "15", "16", "17", "18")) {
            try (ShadowDatabase shadow = TestShadows.embedded(major)) {
                record(shadow, out.resolve("postgresql-" + major), true, POSTGRES_SETUP,
                        "EXPLAIN (FORMAT JSON) ", "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ");
            }
        }
        try (ShadowDatabase shadow = TestShadows.container(Engine.MARIADB, "mariadb:10.11")) {
            record(shadow, out.resolve("mariadb-10.11"), false, MARIADB_SETUP, "EXPLAIN FORMAT=JSON ",
                    "ANALYZE FORMAT=JSON ");
        }
    }

    private static void record(ShadowDatabase shadow, Path directory, boolean postgres, List<String> setup,
                               String explain, String analyze) throws Exception {
        Files.createDirectories(directory);
        try (Connection connection = shadow.connect(Purpose.LOAD); Statement statement = connection.createStatement()) {
            for (String sql : setup) {
                statement.execute(sql);
            }
            for (Map.Entry<String, String> query : queries(postgres).entrySet()) {
                if (query.getKey().equals("parallel")) {
                    for (String sql : POSTGRES_PARALLEL) {
                        statement.execute(sql);
                    }
                }
                for (String prefix : List.of(explain, analyze)) {
                    try (ResultSet rs = statement.executeQuery(prefix + query.getValue())) {
                        rs.next();
                        String name = query.getKey() + (prefix.equals(analyze) ? ".analyze" : "") + ".json";
                        Files.writeString(directory.resolve(name), rs.getString(1).strip() + "\n");
                    }
                }
            }
            System.out.println(directory + ": " + shadow.serverVersion());
        }
    }
}
