package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.schemarehearsal.it.ShopRehearsalIT.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code baseline=none}: production has none of the migrations yet, so every one is pending, rehearsed and linted from
 * an empty database; the module's sample data and queries, which describe a production schema, are not used.
 */
class BaselineNoneIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rehearsesEveryMigrationFromAnEmptyDatabase() throws Exception {
        MavenBuild build = MavenBuild.of("modules", "baseline-none").arg("-f").arg("inventory/pom.xml")
                .arg("-Dschema.shadow=embedded").arg("-Dschema.baseline=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Baseline none: the shadow starts empty, without sample data, statistics or "
                + "queries; pending: V1__items.sql, V2__items_index.sql");
        JsonNode report = JSON.readTree(module(build).resolve("target/schema-rehearsal/report.json").toFile());
        assertThat(report.at("/verdict").asText()).isEqualTo("pass");
        assertThat(names(report.get("migrations"), "script")).containsExactly("V1__items.sql", "V2__items_index.sql");
        assertThat(names(report.get("migrations"), "status")).containsOnly("applied");
        assertThat(report.at("/data/tables")).isEmpty();
        assertThat(report.get("queries")).isEmpty();
    }

    @Test
    void lintReadsEveryMigrationAsPending() throws Exception {
        MavenBuild build = MavenBuild.of("modules", "baseline-none-lint").goal("schema:lint").arg("-f")
                .arg("inventory/pom.xml").arg("-Dschema.baseline=none").withoutDocker();
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("2 pending migration(s), 0 finding(s)");
        JsonNode lint = JSON.readTree(module(build).resolve("target/schema-rehearsal/lint.json").toFile());
        assertThat(names(lint.get("records"), "script")).containsExactly("V1__items.sql", "V2__items_index.sql");
    }

    @Test
    void dataSetAlongsideIsAContradiction() throws Exception {
        MavenBuild.Result result = MavenBuild.of("modules", "baseline-none-data").arg("-f").arg("inventory/pom.xml")
                .arg("-Dschema.baseline=none").arg("-Dschema.data=src/rehearsal/data").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("<dataDirectory>: <dataDirectory> is set but <baseline> is none: production "
                + "has no schema yet for it to describe. Fix: remove <dataDirectory>, or set <baseline> to the version "
                + "production is at");
    }

    private static Path module(MavenBuild build) {
        return build.project().resolve("inventory");
    }
}
