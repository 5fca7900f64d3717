package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries file the rehearsal finds by default: a query the baseline schema refuses stops the rehearsal before any
 * data loads, naming the file, the line and the engine's words; {@code -Dschema.queries=none} turns the file off.
 */
class QueriesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERIES = """
            -- name: account_names
            SELECT id, name FROM accounts WHERE id < 10;

            -- name: misspelt
            SELECT id, nmae
              FROM accounts;
            """;

    @Test
    void aQueryTheBaselineRefusesStopsTheRehearsalBeforeTheLoad() throws Exception {
        MavenBuild build = withQueries("queries-fail-before-load");
        Path queries = build.project().resolve("src/rehearsal/queries.sql");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log())
                .contains("Baseline 1 applied")
                .contains("<queries>: " + queries + ":4: query 'misspelt' fails on the baseline schema: ERROR: column "
                        + "\"nmae\" does not exist. Fix: correct the query; the queries are planned on production's "
                        + "schema (the baseline) first")
                // The shadow was removed before any row loaded or any plan was taken.
                .doesNotContain("Loaded accounts")
                .doesNotContain("Plans before")
                .doesNotContain("Applying V2");
        assertThat(build.report("report.json")).doesNotExist();
    }

    @Test
    void onMariaDbWithTheServersMessage() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "queries-fail-before-load-mariadb").arg("-Dschema.engine=mariadb")
                .arg("-Dschema.engineVersion=10.11");
        Path queries = build.project().resolve("src/rehearsal/queries.sql");
        Files.writeString(queries, QUERIES);
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log())
                .contains("Baseline 1 applied")
                .containsPattern("<queries>: " + Pattern.quote(queries + ":4: query 'misspelt' fails on the baseline "
                        + "schema: ") + "\\(conn=\\d+\\) Unknown column 'nmae' in '[^']+'\\. Fix: correct the query")
                .doesNotContain("Loaded accounts")
                .doesNotContain("Plans before");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    @Test
    void queriesNoneTurnsTheDefaultFileOff() throws Exception {
        MavenBuild build = withQueries("queries-none").arg("-Dschema.queries=none").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Loaded accounts").contains("Plans before: 0 queries")
                .contains("queries run: none");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.get("queries")).isEmpty();
    }

    /** The broken fixture (V1 at the baseline, V2 failing) with a queries file at the default place. */
    private static MavenBuild withQueries(String scenario) throws Exception {
        MavenBuild build = MavenBuild.of("broken", scenario).arg("-Dschema.shadow=embedded");
        Files.writeString(build.project().resolve("src/rehearsal/queries.sql"), QUERIES);
        return build;
    }
}
