package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.EmbeddedBinaries;
import dev.schemarehearsal.harness.api.InfrastructureException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the binaries jar in the local Maven repository, where a build tool or {@code mvn dependency:get} put it. */
public final class EmbeddedBinariesInLocalRepository implements EmbeddedBinaries {
    private final Path repository;

    public EmbeddedBinariesInLocalRepository(Path repository) {
        this.repository = repository;
    }

    /** The repository in {@code maven.repo.local}, else {@code ~/.m2/repository}. */
    public static EmbeddedBinariesInLocalRepository standard() {
        String local = System.getProperty("maven.repo.local");
        return new EmbeddedBinariesInLocalRepository(local != null ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository"));
    }

    @Override
    public Path resolve(String artifactId, String version) {
        Path jar = repository.resolve(Path.of(PostgresBinaries.GROUP_ID.replace('.', '/'), artifactId, version,
                artifactId + "-" + version + ".jar"));
        if (!Files.isRegularFile(jar)) {
            throw new InfrastructureException("embedded PostgreSQL binaries " + PostgresBinaries.GROUP_ID + ":" + artifactId
                    + ":" + version + " are not in " + repository,
                    "run 'mvn dependency:get -Dartifact=" + PostgresBinaries.GROUP_ID + ":" + artifactId + ":" + version
                            + "' once, or use the Maven plugin, which downloads them", null);
        }
        return jar;
    }
}
