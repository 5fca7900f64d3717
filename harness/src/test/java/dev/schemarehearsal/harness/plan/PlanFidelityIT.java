package dev.schemarehearsal.harness.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.report.Reports;
import dev.schemarehearsal.harness.sample.Sample;
import dev.schemarehearsal.harness.sample.SelectOnlyUser;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Production's plans end to end on embedded PostgreSQL 15: {@code schema:sample} of a generated source captures the
 * plans of queries.sql into plans.json; a rehearsal with that file scores its plan fidelity (2 of 2), and its
 * regression fails the build. The same rehearsal with a plans file in which production read orders otherwise marks
 * that query uncertain: 1 of 2, the regression a warning, and the build passes. The sample's tables are padded to
 * production's pages for the plans, and the regression is still attributed to the migration that caused it.
 */
class PlanFidelityIT {
    private static final String SCHEMA = """
            CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
            CREATE INDEX customers_email_idx ON customers (email);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,
                                 status text NOT NULL, total numeric(12, 2) NOT NULL);
            CREATE INDEX orders_status_idx ON orders (status);
            """;

    @Test
    void scoresFidelityAndMarksUncertainVerdicts(@TempDir Path project) throws Exception {
        Path rehearsal = Files.createDirectories(project.resolve("src/rehearsal"));
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), SCHEMA);
        Files.writeString(migrations.resolve("V2__drop_status_index.sql"), "DROP INDEX orders_status_idx;\n");
        Files.writeString(rehearsal.resolve("queries.sql"), """
                -- name: pending_orders
                SELECT id, total FROM orders WHERE status = 'pending';
                -- name: customer_by_email
                SELECT id FROM customers WHERE email = 'c42@example.com';
                """);
        Files.writeString(rehearsal.resolve("sample.json"), """
                {"tables": {"orders": {"percent": 10}}}
                """);
        try (ShadowDatabase source = TestShadows.embedded("15"); Connection connection = source.connect(Purpose.LOAD);
             Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
            statement.execute("INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 50000) g");
            statement.execute("INSERT INTO orders SELECT g, 1 + g % 50000, CASE WHEN g % 200 = 0 THEN 'pending' "
                    + "ELSE 'delivered' END, g % 500 FROM generate_series(1, 200000) g");
            statement.execute("ANALYZE");
            SelectOnlyUser.Credentials reader = SelectOnlyUser.create(connection, Engine.POSTGRESQL);
            Sample.configure().projectDirectory(project).source(reader.url(source.endpoint().url()), reader.user(), reader.password())
                    .seed(7).load().run(event -> { });
        }
        Path plans = rehearsal.resolve("plans.json");
        ProductionPlans captured = ProductionPlans.read(plans);
        assertThat(captured.engine()).isEqualTo("postgresql");
        assertThat(captured.queries()).containsOnlyKeys("pending_orders", "customer_by_email");
        assertThat(captured.queries().get("pending_orders").flatten())
                .anySatisfy(node -> assertThat(node.index()).isEqualTo("orders_status_idx"));

        RehearsalResult certain = rehearse(project);
        assertThat(certain.fidelity().summary()).isEqualTo("2 of 2 queries plan as in production");
        assertThat(certain.queries()).extracting(QueryResult::name, QueryResult::asInProduction, q -> q.change().name())
                .containsExactly(tuple("pending_orders", true, "REGRESSED"), tuple("customer_by_email", true, "UNCHANGED"));
        assertThat(certain.queries().get(0).migration()).isEqualTo("2");
        // For the plans the sample's orders (a tenth of the rows) took about production's pages, then gave them back.
        assertThat(certain.data().padded()).filteredOn(t -> t.table().equals("public.orders")).singleElement()
                .satisfies(orders -> assertThat(orders.paddedPages()).isGreaterThan(orders.pages() * 5)
                        .isBetween(orders.productionPages() * 8 / 10, orders.productionPages() * 13 / 10));
        assertThat(regression(certain).severity().name()).isEqualTo("ERROR");
        assertThat(certain.verdict()).isEqualTo(RehearsalResult.Verdict.FAIL);

        // Production read orders in full: the shadow's index scan before is not production's plan.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode file = (ObjectNode) mapper.readTree(plans.toFile());
        ObjectNode pending = (ObjectNode) file.path("queries").path("pending_orders");
        pending.put("nodeType", "Seq Scan").put("relation", "orders").putNull("index").put("fullScan", true)
                .putArray("children");
        mapper.writeValue(plans.toFile(), file);

        RehearsalResult uncertain = rehearse(project);
        assertThat(uncertain.fidelity().summary()).isEqualTo("1 of 2 queries plan as in production");
        assertThat(uncertain.fidelity().different()).containsExactly("pending_orders");
        assertThat(uncertain.queries()).extracting(QueryResult::name, QueryResult::asInProduction, q -> q.change().name())
                .containsExactly(tuple("pending_orders", false, "REGRESSED"), tuple("customer_by_email", true, "UNCHANGED"));
        Finding finding = regression(uncertain);
        assertThat(finding.severity().name()).isEqualTo("WARNING");
        assertThat(finding.message()).startsWith("Uncertain: Query pending_orders's plan got worse").contains("uncertain");
        assertThat(uncertain.verdict()).isEqualTo(RehearsalResult.Verdict.PASS);

        Path reports = project.resolve("target/schema-rehearsal");
        JsonNode json = mapper.readTree(reports.resolve(Reports.JSON).toFile());
        assertThat(json.at("/fidelity/summary").asText()).isEqualTo("1 of 2 queries plan as in production");
        assertThat(json.at("/queries/0/asInProduction").asBoolean(true)).isFalse();
        assertThat(json.at("/data/padded").findValuesAsText("table")).contains("public.orders");
        String html = Files.readString(reports.resolve(Reports.HTML));
        assertThat(html).contains("Plan fidelity: 1 of 2 queries plan as in production before the migrations; the "
                + "verdicts on the others are uncertain.").contains("no: uncertain verdict");
    }

    private static RehearsalResult rehearse(Path project) {
        return Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15").baseline("1")
                .load().run(event -> { });
    }

    private static Finding regression(RehearsalResult result) {
        return result.findings().stream().filter(f -> f.rule() == Rule.PLAN_REGRESSION).findFirst().orElseThrow();
    }
}
