package dev.schemarehearsal.harness.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The last commit of each migration script, from the {@code git} command line: one {@code git log} for all of them.
 * Without git, outside a repository or for uncommitted files, there is simply no entry.
 */
final class GitHistory {
    /** Who changed a file last, and when (ISO-8601). */
    record Change(String author, String date) { }

    private GitHistory() {
    }

    static Map<Path, Change> lastChanges(Path projectDirectory, List<Path> folders) {
        Map<Path, Change> changes = new HashMap<>();
        if (folders.isEmpty()) {
            return changes;
        }
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", projectDirectory.toString(), "log",
                "--format=%x00%an%x09%aI", "--name-only", "--no-renames", "--"));
        folders.forEach(f -> command.add(f.toString()));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output;
            try (InputStream in = git.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return changes;
            }
            Path top = topLevel(projectDirectory);
            Change current = null;
            for (String line : output.split("\n")) {
                if (line.startsWith("\0")) {
                    String[] authorDate = line.substring(1).split("\t", 2);
                    current = new Change(authorDate[0], authorDate.length > 1 ? authorDate[1] : null);
                } else if (!line.isBlank() && current != null && top != null) {
                    // Newest commits come first: the first mention of a file is its last change.
                    changes.putIfAbsent(top.resolve(line.trim()).normalize(), current);
                }
            }
        } catch (IOException e) {
            return changes; // no git on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return changes;
    }

    private static Path topLevel(Path projectDirectory) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", projectDirectory.toString(), "rev-parse", "--show-toplevel")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String top;
        try (InputStream in = git.getInputStream()) {
            top = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return git.waitFor() == 0 && !top.isEmpty() ? Path.of(top).toRealPath() : null;
    }
}
