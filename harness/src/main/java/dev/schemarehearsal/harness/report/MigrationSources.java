package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Finds the migration script of each finding in the project, and the line of its statement. */
final class MigrationSources {
    private static final String FILESYSTEM = "filesystem:";

    private final Path projectDirectory;
    private final List<String> locations;

    MigrationSources(Path projectDirectory, List<String> locations) {
        this.projectDirectory = projectDirectory;
        this.locations = locations;
    }

    /**
     * Each finding with its script's path relative to the project and its statement's line, where known: the result's
     * migrations tell the scripts.
     */
    List<Sarif.Located> locate(List<Finding> findings, RehearsalResult result) {
        return findings.stream().map(finding -> {
            MigrationResult migration = result.migrations().stream()
                    .filter(m -> m.version() != null && m.version().equals(finding.migration()))
                    .findFirst().orElse(null);
            if (migration == null) {
                return new Sarif.Located(finding, null, null);
            }
            return new Sarif.Located(finding, file(migration.script()), line(migration, finding));
        }).toList();
    }

    /**
     * The script's path relative to the project, with {@code /} separators; {@code null} when it isn't a file of
     * a {@code filesystem:} location (classpath locations, Java migrations).
     */
    String file(String script) {
        return locations.stream().filter(l -> l.startsWith(FILESYSTEM))
                .map(l -> Path.of(l.substring(FILESYSTEM.length())).resolve(script).normalize())
                .filter(Files::isRegularFile)
                .map(p -> projectDirectory.relativize(p).toString().replace('\\', '/'))
                .findFirst().orElse(null);
    }

    /**
     * The line of the finding's statement, or for a finding about the whole migration the statement that failed: a
     * statement's line is that of its first code, past the comments that lead it, so a code view marks the statement.
     */
    private static Integer line(MigrationResult migration, Finding finding) {
        return migration.statements().stream()
                .filter(s -> finding.statement() != null ? s.index() == finding.statement() : s.error() != null)
                .map(StatementResult::line)
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }
}
