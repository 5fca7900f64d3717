package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.migrate.Git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        List<String> arguments = new ArrayList<>(List.of("log", "--format=%x00%an%x09%aI", "--name-only",
                "--no-renames", "--"));
        folders.forEach(f -> arguments.add(f.toString()));
        try {
            Git.Output log = Git.run(projectDirectory, arguments.toArray(String[]::new));
            Path top = topLevel(projectDirectory);
            if (!log.ok() || top == null) {
                return changes;
            }
            Change current = null;
            for (String line : log.stdout().split("\n")) {
                if (line.startsWith("\0")) {
                    String[] authorDate = line.substring(1).split("\t", 2);
                    current = new Change(authorDate[0], authorDate.length > 1 ? authorDate[1] : null);
                } else if (!line.isBlank() && current != null) {
                    // Newest commits come first: the first mention of a file is its last change.
                    changes.putIfAbsent(top.resolve(line.trim()).normalize(), current);
                }
            }
        } catch (IOException e) {
            return changes; // no git on this machine
        }
        return changes;
    }

    private static Path topLevel(Path projectDirectory) throws IOException {
        Git.Output top = Git.run(projectDirectory, "rev-parse", "--show-toplevel");
        return top.ok() && !top.stdout().isBlank() ? Path.of(top.stdout().trim()).toRealPath() : null;
    }
}
