package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mvn schema:sample} of a "production" shop (a postgres:15 container at the shop's baseline, with the shop's
 * data), then {@code mvn schema:rehearse} of the same project on the sample it wrote: the rehearsal's loader takes the
 * masked sample with every constraint on.
 */
class SampleGoalIT {
    private static final PostgreSQLContainer PRODUCTION = new PostgreSQLContainer("postgres:15");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void production() throws Exception {
        PRODUCTION.start();
        Path shop = MavenBuild.FIXTURES.resolve("shop");
        try (Connection connection = DriverManager.getConnection(PRODUCTION.getJdbcUrl(), PRODUCTION.getUsername(),
                PRODUCTION.getPassword()); Statement statement = connection.createStatement()) {
            for (String version : List.of("V1__customers_and_products.sql", "V2__orders.sql", "V3__order_items.sql")) {
                statement.execute(Files.readString(shop.resolve("src/main/resources/db/migration").resolve(version)));
            }
            for (String table : List.of("customers", "products", "orders", "order_items")) {
                Path csv = shop.resolve("src/rehearsal/data").resolve(table + ".csv");
                String header = Files.readAllLines(csv).get(0);
                try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + header
                            + ") FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
                }
            }
            statement.execute("ANALYZE");
            // The README's SELECT-only role, as production should be sampled.
            statement.execute("CREATE ROLE sampler LOGIN PASSWORD 'change-me'");
            statement.execute("GRANT CONNECT ON DATABASE " + PRODUCTION.getDatabaseName() + " TO sampler");
            statement.execute("GRANT USAGE ON SCHEMA public TO sampler");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO sampler");
        }
    }

    @AfterAll
    static void stop() {
        PRODUCTION.stop();
    }

    @Test
    void aUserThatCanWriteIsRefusedUnlessAllowWritableSourceIsSet() throws Exception {
        MavenBuild sample = MavenBuild.of("shop", "shop-sample-writable").goal("schema:sample")
                .arg("-Dschema.sourceUrl=" + PRODUCTION.getJdbcUrl())
                .arg("-Dschema.sourceUser=" + PRODUCTION.getUsername())
                .arg("-Dschema.sourcePassword=" + PRODUCTION.getPassword());
        Files.writeString(sample.project().resolve("src/rehearsal/sample.json"), """
                {"tables": {"orders": {"rows": 10}}}
                """);
        Path data = sample.project().resolve("src/rehearsal/data");
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }

        MavenBuild.Result refused = sample.run();
        assertThat(refused.exitCode()).as(refused.log()).isNotZero();
        assertThat(refused.log()).contains("<allowWritableSource>: the source user " + PRODUCTION.getUsername()
                + " can write to " + PRODUCTION.getJdbcUrl().replaceFirst("\\?.*", "") + ": superuser")
                .contains("-Dschema.allowWritableSource=true");
        assertThat(data).doesNotExist();

        MavenBuild.Result allowed = sample.arg("-Dschema.allowWritableSource=true").run();
        assertThat(allowed.exitCode()).as(allowed.log()).isZero();
        assertThat(allowed.log()).contains("[WARNING] WRITABLE SOURCE: the source user " + PRODUCTION.getUsername()
                + " can write to");
        assertThat(data.resolve("orders.csv")).exists();
    }

    @Test
    void samplesProductionAndTheRehearsalLoadsTheSample() throws Exception {
        MavenBuild sample = MavenBuild.of("shop", "shop-sample").goal("schema:sample")
                .arg("-Dschema.sourceUrl=" + PRODUCTION.getJdbcUrl())
                .arg("-Dschema.sourceUser=sampler")
                .arg("-Dschema.sourcePassword=change-me")
                .arg("-Dschema.seed=5");
        Files.writeString(sample.project().resolve("src/rehearsal/sample.json"), """
                {"tables": {"orders": {"percent": 5}, "order_items": {"referencing": 3000}},
                 "masks": {"customers.id": "hash", "customers.email": "email", "customers.name": "name"}}
                """);
        Path summaryFile = sample.report("sample-summary.json");
        MavenBuild.Result dry = sample.again().arg("-Dschema.dryRun=true").run();
        assertThat(dry.exitCode()).as(dry.log()).isZero();
        assertThat(dry.log()).contains("Closure plan, before any row is read")
                .contains("rows referencing sampled orders along order_items(order_id) -> orders(id), up to 3,000 in "
                        + "all: index order_items_order_id_idx")
                .contains("Dry run: the plan above is all; no row was read and no file written");
        assertThat(summaryFile).doesNotExist();

        MavenBuild.Result sampled = sample.run();

        assertThat(sampled.exitCode()).as(sampled.log()).isZero();
        assertThat(sampled.log()).doesNotContain("WRITABLE SOURCE")
                .contains("in a read-only transaction (statement timeout 300000 ms, seed 5)")
                .contains("Mask: orders.customer_id hashed like customers.id")
                .contains("added via orders(customer_id) -> customers(id)");
        JsonNode summary = JSON.readTree(sample.report("sample-summary.json").toFile());
        Map<String, Long> rows = new HashMap<>();
        summary.get("tables").forEach(t -> rows.put(t.get("table").asText(), t.get("rows").asLong()));
        assertThat(rows).containsOnlyKeys("customers", "products", "orders", "order_items");
        assertThat(rows.get("orders")).isBetween(1_500L, 2_500L);
        assertThat(rows.get("order_items")).isEqualTo(3_000L);
        assertThat(summary.at("/masked/orders.customer_id").asText()).isEqualTo("hash");
        assertThat(Files.readString(sample.project().resolve("src/rehearsal/data/customers.csv")))
                .doesNotContain("@example.com\",\"Sofia Martin").contains("@example.com");
        JsonNode stats = JSON.readTree(sample.project().resolve("src/rehearsal/stats.json").toFile());
        assertThat(stats.at("/tables/public.orders/rows").asLong()).isEqualTo(40_000L);
        // The shop's queries.sql: production's plans of them, EXPLAIN only.
        JsonNode plans = JSON.readTree(sample.project().resolve("src/rehearsal/plans.json").toFile());
        int queries = plans.get("queries").size();
        assertThat(queries).isPositive();
        assertThat(plans.get("engine").asText()).isEqualTo("postgresql");
        assertThat(plans.findValues("actualRows")).allMatch(JsonNode::isNull);
        assertThat(sampled.log()).contains("Production's plans of " + queries + " queries");

        // The same project rehearsed on the sample it now holds.
        MavenBuild.Result rehearsed = sample.goal("schema:rehearse").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=none").run();
        assertThat(rehearsed.exitCode()).as(rehearsed.log()).isZero();
        JsonNode report = JSON.readTree(sample.report("report.json").toFile());
        Map<String, Long> loaded = new HashMap<>();
        report.at("/data/tables").forEach(t -> loaded.put(t.get("table").asText(), t.get("rows").asLong()));
        assertThat(loaded).isEqualTo(rows);
        assertThat(report.at("/data/statistics/tables/0/rows").asLong()).isPositive();
        // Scored against production's plans: the score is what it is, but every query is compared.
        assertThat(report.at("/fidelity/compared").asInt()).isEqualTo(queries);
        assertThat(report.at("/fidelity/asInProduction").asInt()).isBetween(0, queries);
        assertThat(rehearsed.log()).contains("Plan fidelity: " + report.at("/fidelity/summary").asText());
    }
}
