package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop fixture rehearsed end to end by real Maven builds, on each kind of shadow. Its V4 and V5 are risky on
 * purpose, so the verdict is fail; failOn=none keeps these builds green.
 */
class ShopRehearsalIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embeddedPostgres() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-embedded").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (<shadow>embedded</shadow> is set)")
                .contains("Schema rehearsal verdict: FAIL");
        JsonNode report = assertShopReport(build, "embedded", "postgresql", "15.");
        assertThat(report.at("/phases/0/durationMs").asLong()).isPositive();
    }

    @Test
    void autoChoosesEmbeddedWhenNoDockerEngineAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-no-docker").withoutDocker().arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (auto: no Docker engine answers, embedded PostgreSQL needs none)");
        assertShopReport(build, "embedded", "postgresql", "15.");
    }

    @Test
    void autoChoosesAContainerWhenDockerAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-container").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: container (auto: a Docker engine answers)")
                .contains("Shadow started: container postgres:15");
        assertShopReport(build, "container", "postgresql", "15.");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    @Test
    void mariadbContainer() throws Exception {
        MavenBuild build = MavenBuild.of("shop-mariadb", "shop-mariadb-container")
                .arg("-Dschema.shadow=container")
                .arg("-Dschema.failOn=none")
                .arg("-Dschema.data=" + MavenBuild.FIXTURES.resolve("shop/src/rehearsal/data"));
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow started: container mariadb:10.11");
        assertShopReport(build, "container", "mariadb", "10.11.");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    /**
     * The report.json of a shop rehearsal: every SPEC top-level field, the data, the three pending migrations traced
     * statement by statement, and the findings the risky V4 (and, where locks are measured, V5) must raise.
     */
    private static JsonNode assertShopReport(MavenBuild build, String kind, String engine, String versionPrefix) throws IOException {
        assertThat(build.report("report.html")).isRegularFile();
        assertThat(Files.readString(build.report("report.html"))).contains("id=\"verdict\"").contains("FAIL");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());

        assertThat(report.at("/tool/name").asText()).isEqualTo("schema-rehearsal");
        assertThat(report.at("/tool/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(report.at("/shadow/kind").asText()).isEqualTo(kind);
        assertThat(report.at("/shadow/engine").asText()).isEqualTo(engine);
        assertThat(report.at("/shadow/version").asText()).startsWith(versionPrefix);
        assertThat(names(report.get("phases"), "name"))
                .containsExactly("start", "baseline", "load", "plans-before", "migrate", "plans-after", "report");
        // src/rehearsal/queries.sql: every query planned before and after.
        assertThat(names(report.get("queries"), "name")).hasSize(11).startsWith("customer_order_history");
        assertThat(report.at("/queries/0/before/plan/nodeType").asText()).isNotEmpty();
        assertThat(report.at("/queries/0/after/plan/nodeType").asText()).isNotEmpty();

        assertThat(names(report.at("/data/tables"), "table"))
                .containsExactly("customers", "orders", "products", "order_items");
        assertThat(names(report.at("/data/tables"), "rows")).containsExactly("10000", "40000", "1000", "100000");

        JsonNode migrations = report.get("migrations");
        assertThat(names(migrations, "version")).containsExactly("4", "5", "6");
        assertThat(names(migrations, "status")).containsOnly("applied");
        assertThat(names(migrations, "script")).containsExactly("V4__orders_tracking_code.sql",
                "V5__index_tracking_code.sql", "V6__customers_loyalty_tier.sql");
        assertThat(report.at("/migrations/0/statements/0/rewrites/0").asText()).isEqualTo("orders");
        // stats.json: orders has 120,000,000 rows in production against 40,000 in the sample, so the rewrite scales ×3000.
        assertThat(report.at("/migrations/0/statements/0/estimatedProductionMs").asLong())
                .isEqualTo(report.at("/migrations/0/statements/0/durationMs").asLong() * 3000);
        List<String> findings = new ArrayList<>();
        report.get("findings").forEach(f -> findings.add(f.get("rule").asText() + " " + f.get("migration").asText()));
        assertThat(findings).contains("table-rewrite 4", "volatile-default 4");
        if (engine.equals("postgresql")) {
            assertThat(findings).contains("index-not-concurrent 5", "long-lock-at-scale 4");
            // The tracking code makes orders 16 bytes a row wider, which moves no plan past the thresholds.
            assertThat(names(report.get("queries"), "change")).containsOnly("unchanged");
        }
        return report;
    }

    static List<String> names(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }
}
