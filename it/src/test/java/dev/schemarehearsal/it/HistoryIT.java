package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nightly job as Maven runs it, with the history in the project's folder ({@code -Dschema.history=true}): the first
 * night's failing migration is new and {@code failOn=new:error} fails the build; the next night it is known and the
 * build passes, while {@code failOn=error} still fails on it; {@code schema:history} then renders the runs without a
 * shadow, and names the record of a newer tool it skips.
 */
class HistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failsOnlyOnWhatIsNewAndRendersTheHistory() throws Exception {
        MavenBuild first = MavenBuild.of("broken", "history-nightly").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.history=true").arg("-Dschema.failOn=new:error");
        MavenBuild.Result night1 = first.run();

        assertThat(night1.exitCode()).as(night1.log()).isNotZero();
        assertThat(night1.log())
                .contains("History: " + first.project().resolve(".schema-rehearsal/history") + " holds 0 run(s) of ")
                .contains("[error] [new] migration-failed: ")
                .contains("History: 1 new, 0 known, 0 resolved: the first run of ");
        Path folder = first.project().resolve(".schema-rehearsal/history");
        try (Stream<Path> records = Files.list(folder)) {
            assertThat(records.filter(f -> f.toString().endsWith(".json"))).hasSize(1);
        }

        MavenBuild.Result night2 = first.again().run();
        assertThat(night2.exitCode()).as("new:error: the known failure fails nothing; log:\n%s", night2.log()).isZero();
        assertThat(night2.log()).contains("[error] [known] migration-failed: ")
                .contains("History: 0 new, 1 known, 0 resolved against the previous run of ");
        JsonNode report = JSON.readTree(first.report("report.json").toFile());
        assertThat(report.at("/findings/0/history").asText()).isEqualTo("known");
        assertThat(report.at("/findings/0/fingerprint").asText()).matches("[0-9a-f]{16}");
        assertThat(report.at("/history/runs").asInt()).isEqualTo(2);
        assertThat(report.get("failures")).isEmpty();

        MavenBuild everyError = MavenBuild.of("broken", "history-nightly-error").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.history=" + folder).arg("-Dschema.failOn=error");
        MavenBuild.Result allErrors = everyError.run();
        assertThat(allErrors.exitCode()).as("error: known errors fail too").isNotZero();
        assertThat(allErrors.log()).contains("[error] [known] migration-failed: ");

        Files.writeString(folder.resolve("2099-01-01T00-00-00.000Z-later.json"),
                "{\"format\": 7, \"at\": \"2099-01-01T00:00:00.000Z\"}");
        MavenBuild render = MavenBuild.of("broken", "history-render").goal("schema:history")
                .arg("-Dschema.history=" + folder);
        MavenBuild.Result rendered = render.run();
        assertThat(rendered.exitCode()).as(rendered.log()).isZero();
        assertThat(rendered.log()).contains("was written by a newer schema-rehearsal (format 7; this version reads up "
                + "to 1): skipped, left in place").contains("History: 3 run(s) of 1 branch(es) in " + folder);
        JsonNode history = JSON.readTree(render.report("history.json").toFile());
        assertThat(history.get("runs")).hasSize(3);
        assertThat(history.get("runs").findValuesAsText("verdict")).containsOnly("fail");
        assertThat(history.get("skipped")).hasSize(1);
        assertThat(Files.readString(render.report("history.html"))).contains("Schema rehearsal history")
                .contains("Runs (3)");
        assertThat(folder.resolve("2099-01-01T00-00-00.000Z-later.json")).exists();
    }
}
