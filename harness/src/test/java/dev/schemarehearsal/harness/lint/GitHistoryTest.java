package dev.schemarehearsal.harness.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitHistoryTest {
    @TempDir
    Path project;

    @Test
    void lastCommitOfEachScript() throws Exception {
        Path migrations = Files.createDirectories(project.resolve("db"));
        Files.writeString(migrations.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(migrations.resolve("V2__b.sql"), "SELECT 2;");
        git("init", "-q");
        git("add", ".");
        git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", "first",
                "--date=2026-01-02T03:04:05+00:00");
        Files.writeString(migrations.resolve("V2__b.sql"), "SELECT 3;");
        git("-c", "user.name=Bob", "-c", "user.email=bob@example.com", "commit", "-q", "-am", "second",
                "--date=2026-02-03T04:05:06+00:00");

        Map<Path, GitHistory.Change> changes = GitHistory.lastChanges(project, List.of(migrations));

        assertThat(changes.get(migrations.resolve("V1__a.sql").toRealPath()))
                .isEqualTo(new GitHistory.Change("Ada", "2026-01-02T03:04:05+00:00"));
        assertThat(changes.get(migrations.resolve("V2__b.sql").toRealPath()))
                .isEqualTo(new GitHistory.Change("Bob", "2026-02-03T04:05:06+00:00"));
    }

    @Test
    void outsideARepositoryThereIsNoHistory() throws IOException {
        assertThat(GitHistory.lastChanges(project, List.of(project))).isEmpty();
    }

    private void git(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).inheritIO().start();
        assertThat(git.waitFor()).isZero();
    }
}
