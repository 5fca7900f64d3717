package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.migrate.Git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The git commit and branch a run is recorded under. CI systems check out a commit without a branch (GitLab always,
 * Jenkins and GitHub Actions for some events): then the branch comes from the variable each one sets. Without git, or
 * outside a repository, the commit is the CI system's too, or none.
 *
 * @param commit the commit's full hash, or {@code null}
 * @param branch the branch's short name, e.g. {@code main}, or {@code null}
 */
record Revision(String commit, String branch) {
    /** GitHub Actions (a pull request's branch first), GitLab CI, Jenkins. */
    private static final List<String> BRANCH_VARIABLES = List.of("GITHUB_HEAD_REF", "GITHUB_REF_NAME",
            "CI_COMMIT_REF_NAME", "BRANCH_NAME", "GIT_BRANCH");
    private static final List<String> COMMIT_VARIABLES = List.of("GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT");

    static Revision of(Path projectDirectory, Map<String, String> environment) {
        String commit = git(projectDirectory, "rev-parse", "--verify", "-q", "HEAD");
        String branch = git(projectDirectory, "symbolic-ref", "--short", "-q", "HEAD");
        return new Revision(commit != null ? commit : first(environment, COMMIT_VARIABLES),
                branch != null ? branch : shortName(first(environment, BRANCH_VARIABLES)));
    }

    private static String git(Path projectDirectory, String... arguments) {
        try {
            Git.Output output = Git.run(projectDirectory, arguments);
            String value = output.stdout().strip();
            return output.ok() && !value.isEmpty() ? value : null;
        } catch (IOException e) {
            return null; // no git on this machine: the CI system's variables, or nothing
        }
    }

    private static String first(Map<String, String> environment, List<String> names) {
        return names.stream().map(environment::get).filter(v -> v != null && !v.isBlank()).map(String::strip)
                .findFirst().orElse(null);
    }

    /** Jenkins' {@code GIT_BRANCH} is the remote's, e.g. {@code origin/main}; a ref may be given in full. */
    private static String shortName(String branch) {
        if (branch == null) {
            return null;
        }
        return branch.replaceFirst("^refs/heads/", "").replaceFirst("^refs/remotes/[^/]+/", "")
                .replaceFirst("^origin/", "");
    }
}
