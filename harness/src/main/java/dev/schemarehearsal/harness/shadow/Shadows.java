package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import org.testcontainers.DockerClientFactory;


/** Opens the shadow the configuration asks for, resolving {@code auto}. */
public final class Shadows {
    private Shadows() {
    }

    /** A started shadow and why its kind was chosen. */
    public record Opened(ShadowDatabase database, String reason) { }

    public static Opened open(RehearsalConfig config, RehearsalListener listener) {
        Choice choice = choose(config);
        listener.info("Shadow: " + choice.kind.id() + " (" + choice.reason + ")");
        ShadowDatabase database = switch (choice.kind) {
            case SERVER -> new ServerShadow(config.engine(), config.serverUrl(), config.serverUser(), config.serverPassword(),
                    listener).start();
            case CONTAINER -> new ContainerShadow(config.engine(), image(config), config.projectDirectory().toString(),
                    listener).start();
            case EMBEDDED -> {
                String release = PostgresBinaries.release(config.engineVersion());
                EmbeddedFolder.removeLeftovers(config.reportDirectory(), listener);
                yield new EmbeddedShadow(config.binaries().resolve(PostgresBinaries.artifactId(), release),
                        config.reportDirectory(), listener).start();
            }
            case AUTO -> throw new IllegalStateException("auto is resolved by choose()");
        };
        listener.info("Shadow started: " + database.describe() + ", " + config.engine().id() + " " + database.serverVersion());
        return new Opened(database, choice.reason);
    }

    private record Choice(ShadowKind kind, String reason) { }

    private static Choice choose(RehearsalConfig config) {
        return switch (config.shadow()) {
            case SERVER -> new Choice(ShadowKind.SERVER, "<shadow>server</shadow> is set");
            case CONTAINER -> new Choice(ShadowKind.CONTAINER, "<shadow>container</shadow> is set");
            case EMBEDDED -> new Choice(ShadowKind.EMBEDDED, "<shadow>embedded</shadow> is set");
            case AUTO -> {
                if (config.serverUrl() != null) {
                    yield new Choice(ShadowKind.SERVER, "auto: <serverUrl> is set");
                }
                if (dockerAnswers()) {
                    yield new Choice(ShadowKind.CONTAINER, "auto: a Docker engine answers");
                }
                if (config.engine() == Engine.POSTGRESQL) {
                    yield new Choice(ShadowKind.EMBEDDED, "auto: no Docker engine answers, embedded PostgreSQL needs none");
                }
                throw new InfrastructureException("no shadow database is available for " + config.engine().id()
                        + ": no Docker engine answers and embedded servers exist for PostgreSQL only",
                        "start a Docker engine, or set <serverUrl> to a " + config.engine().id() + " server the rehearsal "
                                + "may create a scratch database on", null);
            }
        };
    }

    /** The container image: {@code <image>}, else the engine's official image at {@code <engineVersion>}. */
    static String image(RehearsalConfig config) {
        if (config.image() != null) {
            return config.image();
        }
        if (config.engineVersion().isBlank()) {
            throw new ConfigurationException("engineVersion", "no engine version is set", "set <engineVersion> to production's version");
        }
        return config.engine().officialImage(config.engineVersion());
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
