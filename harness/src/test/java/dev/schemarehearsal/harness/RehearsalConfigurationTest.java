package dev.schemarehearsal.harness;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RehearsalConfigurationTest {

    @Test
    void relativePathsResolveAgainstTheProject() {
        RehearsalConfig config = Rehearsal.configure().projectDirectory(Path.of("/p")).baseline("3")
                .locations(List.of("filesystem:db/m", "classpath:db/x", "db/y")).load().config();
        assertThat(config.migrations().locations()).containsExactly("filesystem:/p/db/m", "classpath:db/x", "classpath:db/y");
        assertThat(config.data().directory()).isEqualTo(Path.of("/p/src/rehearsal/data"));
        assertThat(config.shadow().engineVersion()).isEqualTo("16");
    }

    @Test
    void theDefaultLocationIsFlywaysFolder() {
        RehearsalConfig config = Rehearsal.configure().projectDirectory(Path.of("/p")).baseline("3").load().config();
        assertThat(config.migrations().locations()).containsExactly("filesystem:/p/src/main/resources/db/migration");
    }

    @Test
    void contradictionsNameBothSettings() {
        assertError(Rehearsal.configure().baseline("1").engine("mariadb").shadow("embedded"), "shadow",
                "<shadow>embedded</shadow> runs PostgreSQL only, but <engine> is mariadb");
        assertError(Rehearsal.configure().baseline("1").shadow("server"), "serverUrl",
                "<shadow>server</shadow> needs a server");
        assertError(Rehearsal.configure().baseline("1").shadow("container").server("jdbc:postgresql://h/db", "u", "p"),
                "serverUrl", "<serverUrl> is set but <shadow> is container");
        assertError(Rehearsal.configure(), "baseline", "no baseline is set");
    }

    @Test
    void queriesNoneTurnsTheDefaultFileOff(@org.junit.jupiter.api.io.TempDir Path project) throws Exception {
        java.nio.file.Files.createDirectories(project.resolve("src/rehearsal"));
        java.nio.file.Files.writeString(project.resolve("src/rehearsal/queries.sql"), "-- name: q\nSELECT 1;\n");
        assertThat(Rehearsal.configure().projectDirectory(project).baseline("1").load().config().plans().queries())
                .isEqualTo(project.resolve("src/rehearsal/queries.sql"));
        assertThat(Rehearsal.configure().projectDirectory(project).baseline("1").noQueries().load().config().plans()
                .queries()).isNull();
    }

    @Test
    void baselineNoneUsesNoSampleOfProductionAndRefusesOneThatIsSet(@org.junit.jupiter.api.io.TempDir Path project)
            throws Exception {
        java.nio.file.Files.createDirectories(project.resolve("src/rehearsal/data"));
        java.nio.file.Files.writeString(project.resolve("src/rehearsal/queries.sql"), "-- name: q\nSELECT 1;\n");
        java.nio.file.Files.writeString(project.resolve("src/rehearsal/stats.json"), "{}");
        RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("none").load().config();
        assertThat(config.migrations().fromEmpty()).isTrue();
        assertThat(config.data().directory()).isNull();
        assertThat(config.data().statistics()).isNull();
        assertThat(config.plans().queries()).isNull();

        assertError(Rehearsal.configure().projectDirectory(project).baseline("none")
                .dataDirectory(Path.of("src/rehearsal/data")), "dataDirectory",
                "<dataDirectory> is set but <baseline> is none: production has no schema yet for it to describe");
        assertError(Rehearsal.configure().projectDirectory(project).baseline("none")
                .queries(Path.of("src/rehearsal/queries.sql")), "queries",
                "<queries> is set but <baseline> is none: production has no schema yet for it to describe");
    }

    @Test
    void unknownEnumsListTheChoices() {
        assertThatThrownBy(() -> Rehearsal.configure().engine("oracle"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("unknown engine 'oracle'")
                .extracting(e -> ((ConfigurationException) e).fix()).isEqualTo("use one of postgresql, mysql, mariadb");
        assertThatThrownBy(() -> Rehearsal.configure().shadow("docker"))
                .isInstanceOf(ConfigurationException.class)
                .extracting(e -> ((ConfigurationException) e).fix()).isEqualTo("use one of auto, container, embedded, server, clone");
    }

    @Test
    void dataOptionsHaveDefaultsAndRefuseNonsense(@org.junit.jupiter.api.io.TempDir Path project) throws Exception {
        RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("1").load().config();
        assertThat(config.data().encoding()).isEqualTo(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config.data().nullMarker()).isNull();
        assertThat(config.data().scale()).isNull();
        assertThat(config.data().statistics()).isNull();
        java.nio.file.Files.createDirectories(project.resolve("src/rehearsal"));
        java.nio.file.Files.writeString(project.resolve("src/rehearsal/stats.json"), "{}");
        assertThat(Rehearsal.configure().projectDirectory(project).baseline("1").load().config().data().statistics())
                .isEqualTo(project.resolve("src/rehearsal/stats.json"));

        assertError(Rehearsal.configure().baseline("1").encoding("klingon"), "encoding", "unknown encoding 'klingon'");
        assertError(Rehearsal.configure().baseline("1").nullMarker("a,b"), "nullMarker",
                "the null marker 'a,b' holds a quote, comma or line break, which CSV gives other meanings");
        assertError(Rehearsal.configure().projectDirectory(project).baseline("1").statistics(Path.of("none.json")),
                "statistics", "the statistics snapshot " + project.resolve("none.json") + " does not exist");
    }

    @Test
    void queriesAndPlanThresholdsHaveDefaultsAndRefuseNonsense(@org.junit.jupiter.api.io.TempDir Path project) throws Exception {
        RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("1").load().config();
        assertThat(config.plans().queries()).isNull();
        assertThat(config.plans().analyze()).isFalse();
        assertThat(config.plans().thresholds()).isEqualTo(new dev.schemarehearsal.harness.api.PlanThresholds(2, 10_000, 4));
        java.nio.file.Files.createDirectories(project.resolve("src/rehearsal"));
        java.nio.file.Files.writeString(project.resolve("src/rehearsal/queries.sql"), "-- name: a\nSELECT 1;\n");
        assertThat(Rehearsal.configure().projectDirectory(project).baseline("1").analyze(true).load().config())
                .satisfies(c -> {
                    assertThat(c.plans().queries()).isEqualTo(project.resolve("src/rehearsal/queries.sql"));
                    assertThat(c.plans().analyze()).isTrue();
                });

        assertError(Rehearsal.configure().projectDirectory(project).baseline("1").queries(Path.of("none.sql")),
                "queries", "the queries file " + project.resolve("none.sql") + " does not exist");
        assertError(Rehearsal.configure().baseline("1").maxCostRatio(1), "maxCostRatio", "a plan threshold is out of range");
        assertError(Rehearsal.configure().baseline("1").maxReadGrowth(0.5), "maxReadGrowth", "a plan threshold is out of range");
        assertError(Rehearsal.configure().baseline("1").largeTableRows(-1), "largeTableRows", "a plan threshold is out of range");
    }

    private static void assertError(Rehearsal.Builder builder, String parameter, String message) {
        assertThatThrownBy(builder::load).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo(parameter);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void backfillOptionsHaveDefaultsAndRefuseNonsense(@org.junit.jupiter.api.io.TempDir Path project) {
        RehearsalConfig config = Rehearsal.configure().projectDirectory(project).baseline("1").load().config();
        assertThat(config.backfills().folder()).isEqualTo(project.resolve("src/rehearsal/backfills"));
        assertThat(config.limits().maxBackfillMs()).isNull();
        assertThat(config.backfills().adviseBatch()).isFalse();
        assertError(Rehearsal.configure().projectDirectory(project).baseline("1").backfills(Path.of("nowhere")),
                "backfills", "the backfill folder " + project.resolve("nowhere") + " does not exist");
        assertError(Rehearsal.configure().baseline("1").maxBackfillMs(-1L), "maxBackfillMs", "maxBackfillMs is negative");
    }

    @Test
    void aCloneNeedsOneSourceAndItsSettings(@org.junit.jupiter.api.io.TempDir Path project) {
        assertError(Rehearsal.configure().shadow("clone"), "shadow", "<shadow>clone</shadow> needs a clone to rehearse on");
        assertError(Rehearsal.configure().shadow("clone").cloneTemplate("prod").cloneCommand("make-clone")
                .cloneDestroyCommand("drop-clone"), "cloneCommand", "<cloneTemplate> and <cloneCommand> are both set");
        assertError(Rehearsal.configure().shadow("clone").cloneTemplate("prod"), "serverUrl",
                "<cloneTemplate> prod is copied on the server at <serverUrl>, which is not set");
        assertError(Rehearsal.configure().shadow("clone").engine("mariadb").cloneTemplate("prod")
                .server("jdbc:mariadb://h/db", null, null), "cloneTemplate",
                "<cloneTemplate> copies a PostgreSQL database, but <engine> is mariadb");
        assertError(Rehearsal.configure().shadow("clone").cloneCommand("make-clone"), "cloneDestroyCommand",
                "<cloneCommand> is set without <cloneDestroyCommand>: the clone would outlive the rehearsal");
        assertError(Rehearsal.configure().shadow("clone").cloneCommand("make-clone").cloneDestroyCommand("drop")
                .server("jdbc:postgresql://h/db", null, null), "serverUrl",
                "<serverUrl> is set, but with <cloneCommand> the clone is where the command's URL says");
        assertError(Rehearsal.configure().shadow("clone").cloneCommand("make-clone").cloneDestroyCommand("drop")
                .cloneTimeoutSeconds(0), "cloneTimeoutSeconds", "the clone commands' time 0 is not positive");
        assertError(Rehearsal.configure().shadow("clone").cloneTemplate("prod").server("jdbc:postgresql://h/db", null, null)
                .baseline("none"), "baseline", "<baseline> is none, but a clone is a copy of production and holds its schema");
        assertError(Rehearsal.configure().baseline("1").backfillSampleSeconds(-1L), "backfillSampleSeconds",
                "the time box -1 is negative");
    }

    @Test
    void aCloneMayOmitTheBaselineAndSamplesBackfillsForAMinute(@org.junit.jupiter.api.io.TempDir Path project) {
        RehearsalConfig clone = Rehearsal.configure().projectDirectory(project).shadow("clone").cloneTemplate("prod")
                .server("jdbc:postgresql://h/db", null, null).load().config();
        assertThat(clone.migrations().baseline()).isNull();
        assertThat(clone.shadow().isClone()).isTrue();
        assertThat(clone.shadow().cloning().timeoutSeconds()).isEqualTo(600);
        assertThat(clone.backfills().sampleSeconds()).isEqualTo(60);
        RehearsalConfig sample = Rehearsal.configure().projectDirectory(project).baseline("1").load().config();
        assertThat(sample.backfills().sampleSeconds()).isZero();
        assertThat(Rehearsal.configure().projectDirectory(project).baseline("1").backfillSampleSeconds(10L).load()
                .config().backfills().sampleSeconds()).isEqualTo(10);
        RehearsalConfig command = Rehearsal.configure().projectDirectory(project).shadow("clone")
                .cloneCommand("dblab clone create --id 'rehearsal run'").cloneDestroyCommand("sh -c 'dblab clone destroy x'")
                .load().config();
        assertThat(command.shadow().cloning().command()).containsExactly("dblab", "clone", "create", "--id", "rehearsal run");
        assertThat(command.shadow().cloning().destroyCommand()).containsExactly("sh", "-c", "dblab clone destroy x");
    }
}
