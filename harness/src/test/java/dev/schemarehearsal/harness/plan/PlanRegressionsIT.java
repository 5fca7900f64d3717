package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Migrations paired with the plan regressions they cause, on embedded PostgreSQL 15 and a MariaDB 10.11 container:
 * a dropped index, a column type change that makes an index unusable for the query's literal, a new column whose
 * default bloats the rows, a renamed column (the query fails), and migrations that change nothing. Every query's
 * classification, and the migration it is blamed on, is asserted.
 */
class PlanRegressionsIT {

    @Test
    void postgres(@TempDir Path project) throws IOException {
        migrations(project, """
                CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, country text NOT NULL,
                                        code numeric(12, 0) NOT NULL);
                CREATE INDEX customers_email_idx ON customers (email);
                CREATE INDEX customers_code_idx ON customers (code);
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                                     total numeric(12, 2) NOT NULL);
                CREATE INDEX orders_status_idx ON orders (status);
                CREATE INDEX orders_customer_id_idx ON orders (customer_id);
                INSERT INTO customers SELECT g, 'c' || g || '@example.com', (ARRAY['DE', 'FR', 'NL', 'PL'])[1 + g % 4], g
                  FROM generate_series(1, 50000) g;
                INSERT INTO orders SELECT g, 1 + g % 50000, CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'delivered' END, g % 500
                  FROM generate_series(1, 200000) g;
                ANALYZE customers;
                ANALYZE orders;
                """,
                "DROP INDEX orders_status_idx;",
                // Applications keep sending the decimal literal: numeric = bigint casts the column, not the literal.
                "ALTER TABLE customers ALTER COLUMN code TYPE bigint;",
                // A volatile default fills every row: the table is rewritten ~6 times wider.
                "ALTER TABLE orders ADD COLUMN notes text NOT NULL DEFAULT md5(random()::text) || repeat('x', 300);",
                "ALTER TABLE customers ADD COLUMN nickname text;",
                "CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz NOT NULL);",
                "ALTER TABLE customers RENAME COLUMN country TO country_code;");
        queries(project, "4242.0");

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15")
                .baseline("1").failOn("none").load().run(event -> { });

        assertClassified(result);
    }

    @Test
    void mariadb(@TempDir Path project) throws IOException {
        migrations(project, """
                CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(100) NOT NULL, country char(2) NOT NULL,
                                        code int NOT NULL, KEY customers_email_idx (email), KEY customers_code_idx (code));
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status varchar(20) NOT NULL,
                                     total decimal(12, 2) NOT NULL, KEY orders_status_idx (status),
                                     KEY orders_customer_id_idx (customer_id));
                INSERT INTO customers SELECT seq, CONCAT('c', seq, '@example.com'), ELT(1 + seq % 4, 'DE', 'FR', 'NL', 'PL'), seq
                  FROM seq_1_to_50000;
                INSERT INTO orders SELECT seq, 1 + seq % 50000, IF(seq % 100 = 0, 'pending', 'delivered'), seq % 500
                  FROM seq_1_to_200000;
                ANALYZE TABLE customers, orders;
                """,
                "DROP INDEX orders_status_idx ON orders;",
                // Applications keep sending the number: a string column compared with a number is compared as numbers.
                "ALTER TABLE customers MODIFY code varchar(20) NOT NULL;",
                // A non-constant default is no instant column: the table is rebuilt ~6 times wider.
                "ALTER TABLE orders ADD COLUMN notes varchar(400) NOT NULL DEFAULT (CONCAT(UUID(), REPEAT('x', 300)));",
                "ALTER TABLE customers ADD COLUMN nickname varchar(40);",
                "CREATE TABLE audit_log (id bigint PRIMARY KEY, at datetime NOT NULL);",
                "ALTER TABLE customers RENAME COLUMN country TO country_code;");
        queries(project, "4242");

        // MariaDB 10 plans carry no costs: the bloat shows in the pages the analyzed query reads.
        RehearsalResult result = Rehearsal.configure().projectDirectory(project).engine("mariadb").shadow("container")
                .engineVersion("10.11").baseline("1").analyze(true).failOn("none").load().run(event -> { });

        assertClassified(result);
        QueryResult analyzed = result.queries().get(2);
        assertThat(analyzed.before().executionMs()).isPositive();
        assertThat(analyzed.after().pages()).isGreaterThan(analyzed.before().pages() * 4);
    }

    private static void assertClassified(RehearsalResult result) {
        assertThat(result.phases()).extracting(RehearsalResult.Phase::name)
                .containsExactly("start", "baseline", "load", "plans-before", "migrate", "plans-after", "report");
        assertThat(result.queries()).as(describe(result)).extracting(QueryResult::name, q -> q.change().name(), QueryResult::migration)
                .containsExactly(
                        tuple("pending_orders", "REGRESSED", "2"),
                        tuple("customer_by_code", "REGRESSED", "3"),
                        tuple("order_totals", "REGRESSED", "4"),
                        tuple("customer_by_email", "UNCHANGED", null),
                        tuple("orders_of_customer", "UNCHANGED", null),
                        tuple("customers_per_country", "FAILED", "7"));
        Map<String, String> firstChange = new LinkedHashMap<>();
        result.queries().forEach(q -> firstChange.put(q.name(), q.changes().isEmpty() ? null : q.changes().get(0)));
        assertThat(firstChange.get("pending_orders")).contains("is now read in full").contains("orders_status_idx");
        assertThat(firstChange.get("customer_by_code")).contains("is now read in full").contains("customers_code_idx");
        assertThat(result.queries().get(5).error()).isNotBlank();
        assertThat(result.queries().get(5).after()).isNull();

        List<Finding> plans = result.findings().stream()
                .filter(f -> f.rule() == Rule.PLAN_REGRESSION || f.rule() == Rule.PLAN_CHANGED).toList();
        assertThat(plans).extracting(f -> f.rule().id(), f -> f.severity().name(), Finding::query, Finding::migration)
                .containsExactly(
                        tuple("plan-regression", "ERROR", "pending_orders", "2"),
                        tuple("plan-regression", "ERROR", "customer_by_code", "3"),
                        tuple("plan-regression", "ERROR", "order_totals", "4"),
                        tuple("plan-regression", "ERROR", "customers_per_country", "7"));
        assertThat(plans.get(0).message()).startsWith("Query pending_orders's plan got worse after migration 2 "
                + "(V2__m2.sql): orders");
        assertThat(plans.get(3).message()).startsWith("Query customers_per_country fails after migration 7 (V7__m7.sql): ")
                .contains("country");
    }

    /** Each query's classification and what changed, for a failing assertion's message. */
    private static String describe(RehearsalResult result) {
        StringBuilder text = new StringBuilder();
        result.queries().forEach(q -> text.append('\n').append(q.name()).append(": ").append(q.change())
                .append(" after ").append(q.migration()).append(": ").append(q.changes()).append(' ')
                .append(q.error() == null ? "" : q.error()));
        return text.toString();
    }

    private static void migrations(Path project, String baseline, String... pending) throws IOException {
        Path folder = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(folder.resolve("V1__baseline.sql"), baseline);
        for (int i = 0; i < pending.length; i++) {
            Files.writeString(folder.resolve("V" + (i + 2) + "__m" + (i + 2) + ".sql"), pending[i] + "\n");
        }
    }

    private static void queries(Path project, String codeLiteral) throws IOException {
        Files.createDirectories(project.resolve("src/rehearsal"));
        Files.writeString(project.resolve("src/rehearsal/queries.sql"), """
                -- name: pending_orders
                SELECT id, total FROM orders WHERE status = 'pending';

                -- name: customer_by_code
                SELECT id, email FROM customers WHERE code = %s;

                -- name: order_totals
                SELECT count(*), sum(total) FROM orders;

                -- name: customer_by_email
                -- weight: 5
                SELECT id, code FROM customers WHERE email = 'c4242@example.com';

                -- name: orders_of_customer
                SELECT id, total FROM orders WHERE customer_id = 4242;

                -- name: customers_per_country
                SELECT country, count(*) FROM customers GROUP BY country;
                """.formatted(codeLiteral));
    }
}
