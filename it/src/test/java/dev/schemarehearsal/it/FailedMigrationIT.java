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

/** A migration that fails on the shadow: the verdict, the finding, and the build as failOn says. */
class FailedMigrationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failsTheBuildWithAMigrationFailedFinding() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "broken-fail").arg("-Dschema.shadow=embedded");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log())
                .contains("Schema rehearsal verdict: FAIL (1 error, 0 warning, 0 info)")
                .contains("[ERROR]   [error] migration-failed: V2__add_and_fail.sql failed on the shadow: line 6: ERROR: column \"name\" of relation \"accounts\" already exists")
                .contains("Schema rehearsal failed: 1 finding(s) match <failOn>error</failOn>");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(names(report.get("migrations"), "status")).containsExactly("failed");
        assertThat(report.at("/migrations/0/version").asText()).isEqualTo("2");
        assertThat(report.at("/migrations/0/error").asText()).contains("\"name\"").contains("already exists");
        assertThat(report.at("/findings/0/rule").asText()).isEqualTo("migration-failed");
        assertThat(report.at("/findings/0/severity").asText()).isEqualTo("error");
        assertThat(report.at("/findings/0/migration").asText()).isEqualTo("2");
        assertThat(report.at("/findings/0/message").asText()).contains("Not applied after it: V3__after_failure.sql");
        assertThat(Leftovers.embeddedServers()).isEmpty();

        // The other outputs: the failure as a failed test case, located at the statement that failed, in the summary.
        String message = report.at("/findings/0/message").asText();
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(build.report("TEST-schema-rehearsal.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("/testsuite/@tests", junit)).isEqualTo("1");
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo("1");
        assertThat(xpath.evaluate("/testsuite/testcase[@name='V2__add_and_fail.sql']/failure/@message", junit)).isEqualTo(message);
        assertThat(xpath.evaluate("/testsuite/testcase/failure/@type", junit)).isEqualTo("migration-failed");
        JsonNode sarif = JSON.readTree(build.report("findings.sarif").toFile());
        assertThat(sarif.at("/runs/0/results/0/level").asText()).isEqualTo("error");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("src/main/resources/db/migration/V2__add_and_fail.sql");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(6);
        assertThat(Files.readString(build.report("summary.md"))).startsWith("## Schema rehearsal: ❌ FAIL")
                .contains("1 finding(s) match `failOn`: the build fails.")
                .contains("| error | `migration-failed` | V2 | V2\\_\\_add\\_and\\_fail.sql failed on the shadow: line 6: ERROR: column");
    }

    @Test
    void failOnNoneKeepsTheBuildGreenButTheVerdictFail() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "broken-fail-on-none").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Schema rehearsal verdict: FAIL (1 error, 0 warning, 0 info)");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(report.get("failures")).isEmpty();
    }

    @Test
    void failOnARuleIdFailsOnThatRule() throws Exception {
        MavenBuild.Result result = MavenBuild.of("broken", "broken-fail-on-rule").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=migration-failed").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("match <failOn>migration-failed</failOn>");
    }

    @Test
    void badConfigurationNamesTheParameterAndTheFix() throws Exception {
        MavenBuild.Result noBaseline = MavenBuild.of("broken", "broken-no-baseline").arg("-Dschema.baseline=9").run();
        assertThat(noBaseline.exitCode()).isNotZero();
        assertThat(noBaseline.log()).contains("<baseline>: no migration has version 9; the versions are 1, 2, 3. "
                + "Fix: set <baseline> to the version production is at");

        MavenBuild.Result badFailOn = MavenBuild.of("broken", "broken-bad-fail-on").arg("-Dschema.failOn=errors").run();
        assertThat(badFailOn.exitCode()).isNotZero();
        assertThat(badFailOn.log()).contains("<failOn>: unknown value 'errors' in 'errors'");

        MavenBuild.Result embeddedMariadb = MavenBuild.of("broken", "broken-embedded-mariadb")
                .arg("-Dschema.shadow=embedded").arg("-Dschema.engine=mariadb").run();
        assertThat(embeddedMariadb.exitCode()).isNotZero();
        assertThat(embeddedMariadb.log()).contains("<shadow>: <shadow>embedded</shadow> runs PostgreSQL only, but <engine> is mariadb");
    }
}
