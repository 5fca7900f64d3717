package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shop fixture rehearsed end to end by real Maven builds, on each kind of shadow. */
class ShopRehearsalIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embeddedPostgres() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-embedded").arg("-Dschema.shadow=embedded");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (<shadow>embedded</shadow> is set)")
                .contains("Schema rehearsal verdict: PASS");
        JsonNode report = assertShopReport(build, "embedded", "postgresql", "15.");
        assertThat(report.at("/phases/0/durationMs").asLong()).isPositive();
    }

    @Test
    void autoChoosesEmbeddedWhenNoDockerEngineAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-no-docker").withoutDocker();
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (auto: no Docker engine answers, embedded PostgreSQL needs none)");
        assertShopReport(build, "embedded", "postgresql", "15.");
    }

    @Test
    void autoChoosesAContainerWhenDockerAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-container");
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
                .arg("-Dschema.data=" + MavenBuild.FIXTURES.resolve("shop/src/rehearsal/data"));
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow started: container mariadb:10.11");
        assertShopReport(build, "container", "mariadb", "10.11.");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    /** The report.json of a passing shop rehearsal: every SPEC top-level field, the data and the three pending migrations. */
    private static JsonNode assertShopReport(MavenBuild build, String kind, String engine, String versionPrefix) throws IOException {
        assertThat(build.report("report.html")).isRegularFile();
        assertThat(Files.readString(build.report("report.html"))).contains("id=\"verdict\"").contains("PASS");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());

        assertThat(report.at("/tool/name").asText()).isEqualTo("schema-rehearsal");
        assertThat(report.at("/tool/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(report.at("/verdict").asText()).isEqualTo("pass");
        assertThat(report.at("/shadow/kind").asText()).isEqualTo(kind);
        assertThat(report.at("/shadow/engine").asText()).isEqualTo(engine);
        assertThat(report.at("/shadow/version").asText()).startsWith(versionPrefix);
        assertThat(names(report.get("phases"), "name")).containsExactly("start", "baseline", "load", "migrate", "report");

        assertThat(names(report.at("/data/tables"), "table"))
                .containsExactly("customers", "orders", "products", "order_items");
        assertThat(names(report.at("/data/tables"), "rows")).containsExactly("10000", "40000", "1000", "100000");

        JsonNode migrations = report.get("migrations");
        assertThat(names(migrations, "version")).containsExactly("4", "5", "6");
        assertThat(names(migrations, "status")).containsOnly("applied");
        assertThat(names(migrations, "script")).containsExactly("V4__orders_tracking_code.sql",
                "V5__index_tracking_code.sql", "V6__customers_loyalty_tier.sql");
        assertThat(report.get("findings")).isEmpty();
        return report;
    }

    static List<String> names(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }
}
