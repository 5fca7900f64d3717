package dev.schemarehearsal.harness.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What to rehearse and where. Built and validated by {@code Rehearsal.configure()}; relative paths have been
 * resolved against {@link #projectDirectory()}.
 *
 * @param locations       Flyway locations, e.g. {@code filesystem:/abs/src/main/resources/db/migration}
 * @param baseline        the version production is at; migrations above it are pending
 * @param serverUrl       the JDBC URL of an existing server for {@code shadow=server}, else {@code null}
 * @param image           the container image, or {@code null} for the engine's official image
 * @param binaries        resolves embedded PostgreSQL binaries
 * @param maxLockMs       the longest acceptable lock blocking reads or writes
 * @param maxStallMs      the longest acceptable probe stall
 */
public record RehearsalConfig(Path projectDirectory, Engine engine, String engineVersion, ShadowKind shadow,
                              String image, String serverUrl, String serverUser, String serverPassword,
                              List<String> locations, String baseline, Path dataDirectory, Path reportDirectory,
                              FailOn failOn, EmbeddedBinaries binaries, long maxLockMs, long maxStallMs) {

    public RehearsalConfig {
        locations = List.copyOf(locations);
    }
}
