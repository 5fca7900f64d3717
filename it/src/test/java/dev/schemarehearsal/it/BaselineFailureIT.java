package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;

import static dev.schemarehearsal.it.ShopRehearsalIT.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration up to the baseline that fails (the broken fixture's V2, with the baseline at 2): the rehearsal stops
 * there, says which file, line and engine message, and writes every report with a {@code migration-failed} finding on
 * that migration and the verdict {@code fail}; the build fails whatever {@code failOn} says.
 */
class BaselineFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE = "V2__add_and_fail.sql failed while the shadow was brought to the baseline (2): "
            + "line 6: ERROR: column \"name\" of relation \"accounts\" already exists. Nothing was rehearsed. Fix: the "
            + "migrations up to the baseline build production's schema, so they must apply in order on an empty "
            + "postgresql 16.";

    @Test
    void stopsWithTheFileLineAndEngineMessageAndWritesTheReports() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "baseline-fails").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.baseline=2");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log())
                .contains("Schema rehearsal verdict: FAIL (1 error, 0 warning, 0 info)")
                .contains("[ERROR]   [error] migration-failed: " + MESSAGE)
                .contains("Schema rehearsal stopped at the baseline stage: [migration-failed] " + MESSAGE)
                .contains(" database (set <engineVersion> to production's version if it differs); what production "
                        + "got outside them (extensions, roles, objects made by hand) belongs in a migration too. "
                        + "Report: " + build.report("report.html"))
                .doesNotContain("PluginExecutionException")
                .doesNotContain("Run Flyway with -X")
                .doesNotContain("SEVERE:")
                // Nothing after the baseline ran.
                .doesNotContain("Loaded accounts")
                .doesNotContain("Applying V3");
        assertThat(Leftovers.embeddedServers()).isEmpty();

        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(report.at("/stoppedAt").asText()).isEqualTo("baseline");
        assertThat(names(report.get("phases"), "name")).containsExactly("start", "baseline", "report");
        assertThat(report.at("/data/tables")).isEmpty();
        assertThat(report.at("/queries")).isEmpty();
        assertThat(names(report.get("migrations"), "script")).containsExactly("V2__add_and_fail.sql");
        JsonNode migration = report.at("/migrations/0");
        assertThat(migration.at("/status").asText()).isEqualTo("failed");
        assertThat(migration.at("/error").asText())
                .isEqualTo("line 6: ERROR: column \"name\" of relation \"accounts\" already exists");
        // The statements it ran, the last one failed, each at the line of its code (past the comments above it).
        assertThat(names(migration.get("statements"), "line")).containsExactly("5", "6");
        assertThat(migration.at("/statements/1/sql").asText()).isEqualTo("ALTER TABLE accounts ADD COLUMN name varchar(50)");
        assertThat(migration.at("/statements/0/error").isNull()).isTrue();
        assertThat(report.get("findings")).hasSize(1);
        JsonNode finding = report.at("/findings/0");
        assertThat(finding.at("/rule").asText()).isEqualTo("migration-failed");
        assertThat(finding.at("/severity").asText()).isEqualTo("error");
        assertThat(finding.at("/migration").asText()).isEqualTo("2");
        assertThat(finding.at("/statement").asInt()).isEqualTo(2);
        assertThat(finding.at("/message").asText()).startsWith(MESSAGE);
        assertThat(report.at("/failures/0")).isEqualTo(finding);

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(build.report("TEST-schema-rehearsal.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo("1");
        assertThat(xpath.evaluate("/testsuite/testcase[@name='V2__add_and_fail.sql']/failure/@type", junit))
                .isEqualTo("migration-failed");
        JsonNode sarif = JSON.readTree(build.report("findings.sarif").toFile());
        assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).isEqualTo("migration-failed");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("src/main/resources/db/migration/V2__add_and_fail.sql");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(6);
        assertThat(Files.readString(build.report("summary.md"))).startsWith("## Schema rehearsal: ❌ FAIL")
                .contains("stopped at the baseline stage")
                .contains("The rehearsal stopped at the baseline stage: nothing was rehearsed, and the build fails "
                        + "whatever failOn says.");
        assertThat(Files.readString(build.report("report.html"))).contains("Migrations that ran (1)");
    }

    /**
     * On MariaDB the failed migration's first ALTER has committed (no transactional DDL): the stop is the same, with
     * the server's own words.
     */
    @Test
    void onMariaDbWithTheServersMessage() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "baseline-fails-mariadb").arg("-Dschema.engine=mariadb")
                .arg("-Dschema.engineVersion=10.11").arg("-Dschema.baseline=2");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log())
                .containsPattern("Schema rehearsal stopped at the baseline stage: \\[migration-failed] "
                        + "V2__add_and_fail\\.sql failed while the shadow was brought to the baseline \\(2\\): line 6: "
                        + "\\(conn=\\d+\\) Duplicate column name 'name'\\. Nothing was rehearsed\\. Fix: .* on an "
                        + "empty mariadb 10\\.11\\.\\d+\\S* database")
                .doesNotContain("PluginExecutionException")
                .doesNotContain("Run Flyway with -X")
                .doesNotContain("SEVERE:")
                .doesNotContain("Loaded accounts")
                .doesNotContain("Applying V3");
        assertThat(Leftovers.shadowContainers()).isEmpty();

        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(report.at("/stoppedAt").asText()).isEqualTo("baseline");
        JsonNode migration = report.at("/migrations/0");
        assertThat(migration.at("/script").asText()).isEqualTo("V2__add_and_fail.sql");
        assertThat(migration.at("/status").asText()).isEqualTo("failed");
        assertThat(names(migration.get("statements"), "line")).containsExactly("5", "6");
        assertThat(migration.at("/statements/1/error").asText()).contains("Duplicate column name 'name'");
        assertThat(report.at("/findings/0/rule").asText()).isEqualTo("migration-failed");
        assertThat(report.at("/findings/0/statement").asInt()).isEqualTo(2);
        assertThat(build.report("report.html")).isRegularFile();
    }

    @Test
    void failOnNoneDoesNotAcceptIt() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "baseline-fails-fail-on-none").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.baseline=2").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("Schema rehearsal stopped at the baseline stage: [migration-failed] " + MESSAGE);
        assertThat(JSON.readTree(build.report("report.json").toFile()).at("/failures")).hasSize(1);
    }
}
