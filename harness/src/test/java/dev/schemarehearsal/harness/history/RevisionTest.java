package dev.schemarehearsal.harness.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RevisionTest {
    @TempDir
    Path project;

    @Test
    void aCheckedOutBranchIsGits() throws Exception {
        git("init", "-q", "-b", "nightly");
        git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "--allow-empty", "-m", "one");

        Revision revision = Revision.of(project, Map.of("GITHUB_REF_NAME", "other"));
        assertThat(revision.branch()).isEqualTo("nightly");
        assertThat(revision.commit()).matches("[0-9a-f]{40}");
    }

    @Test
    void aDetachedCheckoutTakesTheCiSystemsBranch() throws Exception {
        git("init", "-q", "-b", "main");
        git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "--allow-empty", "-m", "one");
        git("checkout", "-q", "--detach");

        assertThat(Revision.of(project, Map.of("CI_COMMIT_REF_NAME", "main")).branch()).isEqualTo("main");
        assertThat(Revision.of(project, Map.of("GIT_BRANCH", "origin/release-2")).branch()).isEqualTo("release-2");
        assertThat(Revision.of(project, Map.of()).branch()).isNull();
        assertThat(Revision.of(project, Map.of()).commit()).matches("[0-9a-f]{40}");
    }

    @Test
    void outsideARepositoryTheCiSystemSaysAll() {
        Revision revision = Revision.of(project, Map.of("GITHUB_SHA", "abc123", "GITHUB_REF_NAME", "main",
                "GITHUB_HEAD_REF", ""));
        assertThat(revision).isEqualTo(new Revision("abc123", "main"));
        assertThat(Revision.of(project, Map.of())).isEqualTo(new Revision(null, null));
    }

    private void git(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(arguments));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }
}
