package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Starts shadows for integration tests outside this package, whose shadow classes are package-private. */
public final class TestShadows {
    private TestShadows() {
    }

    /** Embedded PostgreSQL of a major version, e.g. {@code 15}. */
    public static ShadowDatabase embedded(String major) {
        try {
            return new EmbeddedShadow(EmbeddedBinariesInLocalRepository.standard()
                    .resolve(PostgresBinaries.artifactId(), PostgresBinaries.release(major)),
                    Files.createTempDirectory("schema-rehearsal-it-"), RehearsalListener.NONE).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A container of the image, e.g. {@code mariadb:10.11}. */
    public static ShadowDatabase container(Engine engine, String image) {
        return new ContainerShadow(engine, image, "/harness-it/" + ProcessHandle.current().pid(), RehearsalListener.NONE)
                .start();
    }

    /** A scratch database on a server the test started itself, e.g. with settings of its own. */
    public static ShadowDatabase server(Engine engine, String url, String user, String password) {
        return new ServerShadow(engine, url, user, password, RehearsalListener.NONE).start();
    }

    /** A scratch database on a running shadow, so tests sharing one server start from an empty database each. */
    public static ShadowDatabase scratch(ShadowDatabase server) {
        return server.scratchBeside();
    }
}
