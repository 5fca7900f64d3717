package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.GitBaseline;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code git:<ref>} baselines, on a repository built by each test. */
class GitBaselinesTest {
    @TempDir
    Path project;

    private Path migrations;

    @BeforeEach
    void productionAtV1AndV2() throws Exception {
        migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        git("init", "-q");
        Files.writeString(migrations.resolve("V1__a.sql"), "CREATE TABLE a (id int);");
        Files.writeString(migrations.resolve("V2__b.sql"), "CREATE TABLE b (id int);");
        Files.writeString(project.resolve("README"), "not a migration");
        commit("production");
        git("tag", "prod");
    }

    @Test
    void scriptsAbsentAtTheRefArePendingAndTheHighestPresentIsTheBaseline() throws Exception {
        Files.writeString(migrations.resolve("V3__c.sql"), "CREATE TABLE c (id int);");
        commit("pending, committed");
        Files.createDirectories(migrations.resolve("later"));
        Files.writeString(migrations.resolve("later/V3_1__d.sql"), "CREATE TABLE d (id int);"); // not even added

        RehearsalConfig config = configure("git:prod");

        assertThat(config.migrations().baseline()).isEqualTo("2");
        assertThat(config.migrations().gitBaseline()).isEqualTo(new GitBaseline("prod", "2", List.of("V3__c.sql", "V3_1__d.sql"),
                List.of()));
        assertThat(configure("git:HEAD").migrations().gitBaseline().pending()).containsExactly("V3_1__d.sql");
    }

    @Test
    void anAppliedScriptEditedSinceTheRefIsAWarningNotAPendingMigration() throws Exception {
        Files.writeString(migrations.resolve("V2__b.sql"), "CREATE TABLE b (id bigint);"); // uncommitted edit
        Files.writeString(migrations.resolve("V3__c.sql"), "CREATE TABLE c (id int);");

        GitBaseline git = configure("git:prod").migrations().gitBaseline();

        assertThat(git.pending()).containsExactly("V3__c.sql");
        assertThat(git.changedSinceRef()).containsExactly("src/main/resources/db/migration/V2__b.sql");
        List<String> warnings = new ArrayList<>();
        GitBaselines.log(git, new RehearsalListener() {
            @Override
            public void on(RehearsalEvent event) {
            }

            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        });
        assertThat(warnings).singleElement().asString()
                .startsWith("src/main/resources/db/migration/V2__b.sql changed since prod: production applied the old");
    }

    @Test
    void aPendingScriptBelowAnAppliedVersionIsOutOfOrder() throws Exception {
        Files.writeString(migrations.resolve("V1_5__late.sql"), "CREATE TABLE late (id int);");

        assertThatThrownBy(() -> configure("git:prod")).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo("baseline");
            assertThat(e.getMessage()).contains("V1_5__late.sql is not at git ref 'prod' but its version is below V2")
                    .contains("outOfOrder");
            assertThat(e.fix()).contains("renumber it above V2");
        });
    }

    @Test
    void anAppliedScriptDeletedSinceTheRefIsAnError() throws Exception {
        Files.delete(migrations.resolve("V1__a.sql"));

        assertThatThrownBy(() -> configure("git:prod")).isInstanceOfSatisfying(ConfigurationException.class, e ->
                assertThat(e.getMessage()).contains("src/main/resources/db/migration/V1__a.sql is present at git ref "
                        + "'prod' (production applied it) but no longer in the working tree"));
    }

    @Test
    void unknownRefNamesTheBaselineAndTheFix() {
        assertThatThrownBy(() -> configure("git:no-such-branch")).isInstanceOfSatisfying(ConfigurationException.class,
                e -> {
                    assertThat(e.parameter()).isEqualTo("baseline");
                    assertThat(e.getMessage()).contains("'no-such-branch' is not a commit");
                    assertThat(e.fix()).contains("git fetch");
                });
        assertThatThrownBy(() -> configure("git:")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("names no git ref");
    }

    @Test
    void aRefWithoutMigrationsIsAnError() throws Exception {
        git("checkout", "-q", "--orphan", "empty");
        git("rm", "-q", "-r", "--cached", "src");
        git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "nothing yet");

        assertThatThrownBy(() -> configure("git:empty")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is present at git ref 'empty'");
    }

    @Test
    void outsideARepositoryTheBaselineIsAtFault(@TempDir Path elsewhere) throws Exception {
        Path folder = Files.createDirectories(elsewhere.resolve("db"));
        Files.writeString(folder.resolve("V1__a.sql"), "SELECT 1;");

        assertThatThrownBy(() -> Rehearsal.configure().projectDirectory(elsewhere).locations(List.of("filesystem:db"))
                .baseline("git:main").load()).isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("baseline");
                    assertThat(e.getMessage()).contains("is not in a git repository");
                });
    }

    private RehearsalConfig configure(String baseline) {
        return Rehearsal.configure().projectDirectory(project).baseline(baseline).load().config();
    }

    private void commit(String message) throws Exception {
        git("add", "-A");
        git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "--allow-empty", "-m", message);
    }

    private void git(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).inheritIO().start();
        assertThat(git.waitFor()).isZero();
    }
}
