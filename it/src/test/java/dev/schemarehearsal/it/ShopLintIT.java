package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mvn schema:lint} on the shop fixtures: no database, one line per finding, lint.json, failOn. */
class ShopLintIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MIGRATIONS = "src/main/resources/db/migration/";

    @Test
    void postgresShop() throws Exception {
        // Without Docker: lint must not need a database of any kind.
        MavenBuild build = MavenBuild.of("shop", "shop-lint").goal("schema:lint").withoutDocker();
        MavenBuild.Result result = build.run();

        // V4's volatile default is an error, which the default failOn=error fails the build on.
        assertThat(result.exitCode()).as(result.log()).isNotZero();
        assertThat(result.log())
                .contains("[ERROR] " + MIGRATIONS + "V4__orders_tracking_code.sql:9: error volatile-default: ADD COLUMN "
                        + "orders.tracking_code DEFAULT gen_random_uuid()")
                .contains("[ERROR] " + MIGRATIONS + "V4__orders_tracking_code.sql:9: error table-rewrite:")
                .contains("[WARNING] " + MIGRATIONS + "V5__index_tracking_code.sql:6: warning index-not-concurrent: "
                        + "CREATE INDEX on orders takes a SHARE lock")
                .contains("Schema lint failed: 2 finding(s) match <failOn>error</failOn>")
                .doesNotContain("Shadow");
        JsonNode lint = JSON.readTree(build.report("lint.json").toFile());
        assertThat(rules(lint, "6")).as("the safe V6 raises only the lock timeout it lacks")
                .containsOnly("missing-lock-timeout");
        assertThat(lint.at("/records").size()).isEqualTo(3);
        assertThat(lint.at("/records/0/version").asText()).isEqualTo("4");
        assertThat(lint.at("/notAnalysed").size()).isZero();

        // lint.sarif: one result per finding, at its file and line.
        JsonNode sarif = JSON.readTree(build.report("lint.sarif").toFile());
        assertThat(sarif.at("/version").asText()).isEqualTo("2.1.0");
        JsonNode results = sarif.at("/runs/0/results");
        assertThat(results).hasSize(lint.at("/findings").size());
        for (int i = 0; i < results.size(); i++) {
            JsonNode finding = lint.at("/findings").get(i);
            assertThat(results.get(i).get("ruleId").asText()).isEqualTo(finding.at("/finding/rule").asText());
            assertThat(results.get(i).at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                    .isEqualTo(finding.get("file").asText());
            assertThat(results.get(i).at("/locations/0/physicalLocation/region/startLine").asInt())
                    .isEqualTo(finding.get("line").asInt());
        }
    }

    @Test
    void mariadbShop() throws Exception {
        MavenBuild build = MavenBuild.of("shop-mariadb", "shop-mariadb-lint").goal("schema:lint").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log())
                .contains(MIGRATIONS + "V4__orders_tracking_code.sql:8: error volatile-default:")
                .contains(MIGRATIONS + "V5__index_tracking_code.sql:6: warning index-not-concurrent:")
                .contains("Schema lint (mariadb 10.11)");
        JsonNode lint = JSON.readTree(build.report("lint.json").toFile());
        assertThat(rules(lint, "6")).containsOnly("missing-lock-timeout");
    }

    @Test
    void requireRationaleFailsMigrationsWithoutTheirHeaders() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-lint-rationale").goal("schema:lint")
                .arg("-Dschema.requireRationale=true").arg("-Dschema.failOn=missing-rationale");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isNotZero();
        assertThat(result.log()).contains(MIGRATIONS + "V6__customers_loyalty_tier.sql:1: error missing-rationale: "
                + "the migration has no '-- why: …' header line");
        assertThat(result.log()).contains("Schema lint failed: 3 finding(s) match <failOn>missing-rationale</failOn>");
    }

    private static List<String> rules(JsonNode lint, String migration) {
        List<String> rules = new ArrayList<>();
        lint.at("/findings").forEach(f -> {
            if (f.at("/finding/migration").asText().equals(migration)) {
                rules.add(f.at("/finding/rule").asText());
            }
        });
        return rules;
    }
}
