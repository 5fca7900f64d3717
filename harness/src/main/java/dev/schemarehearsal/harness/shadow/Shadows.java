package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Path;

/** Opens the shadow the configuration asks for, resolving {@code auto}. */
public final class Shadows {
    private Shadows() {
    }

    /** A started shadow and why its kind was chosen. */
    public record Opened(ShadowDatabase database, String reason) { }

    public static Opened open(RehearsalConfig config, RehearsalListener listener) {
        RehearsalConfig.Shadow settings = config.shadow();
        Choice choice = choose(settings);
        listener.info("Shadow: " + choice.kind.id() + " (" + choice.reason + ")");
        ShadowDatabase database = switch (choice.kind) {
            case SERVER -> new ServerShadow(settings.engine(), settings.serverUrl(), settings.serverUser(),
                    settings.serverPassword(), listener).start();
            case CONTAINER -> new ContainerShadow(settings.engine(), image(settings), config.projectDirectory().toString(),
                    listener).start();
            case EMBEDDED -> {
                String release = PostgresBinaries.release(settings.engineVersion());
                Path reportDirectory = config.outputs().reportDirectory();
                EmbeddedFolder.removeLeftovers(reportDirectory, listener);
                yield new EmbeddedShadow(settings.binaries().resolve(PostgresBinaries.artifactId(), release),
                        reportDirectory, listener).start();
            }
            case AUTO -> throw new IllegalStateException("auto is resolved by choose()");
        };
        listener.info("Shadow started: " + database.describe() + ", " + settings.engine().id() + " " + database.serverVersion());
        return new Opened(database, choice.reason);
    }

    /**
     * Refuses a shadow kind the engine has none of, naming both settings.
     *
     * @throws ConfigurationException for {@code <shadow>embedded</shadow>} with an engine other than PostgreSQL
     */
    public static void check(ShadowKind kind, Engine engine) {
        if (kind == ShadowKind.EMBEDDED && !EmbeddedShadow.runs(engine)) {
            throw new ConfigurationException("shadow", "<shadow>embedded</shadow> runs PostgreSQL only, but <engine> is "
                    + engine.id(), "set <shadow>container</shadow> or <serverUrl> for " + engine.id());
        }
    }

    private record Choice(ShadowKind kind, String reason) { }

    private static Choice choose(RehearsalConfig.Shadow settings) {
        return switch (settings.kind()) {
            case SERVER -> new Choice(ShadowKind.SERVER, "<shadow>server</shadow> is set");
            case CONTAINER -> new Choice(ShadowKind.CONTAINER, "<shadow>container</shadow> is set");
            case EMBEDDED -> new Choice(ShadowKind.EMBEDDED, "<shadow>embedded</shadow> is set");
            case AUTO -> {
                if (settings.serverUrl() != null) {
                    yield new Choice(ShadowKind.SERVER, "auto: <serverUrl> is set");
                }
                if (dockerAnswers()) {
                    yield new Choice(ShadowKind.CONTAINER, "auto: a Docker engine answers");
                }
                if (EmbeddedShadow.runs(settings.engine())) {
                    yield new Choice(ShadowKind.EMBEDDED, "auto: no Docker engine answers, embedded PostgreSQL needs none");
                }
                throw new InfrastructureException("no shadow database is available for " + settings.engine().id()
                        + ": no Docker engine answers and embedded servers exist for PostgreSQL only",
                        "start a Docker engine, or set <serverUrl> to a " + settings.engine().id() + " server the rehearsal "
                                + "may create a scratch database on", null);
            }
        };
    }

    /** The container image: {@code <image>}, else the engine's official image at {@code <engineVersion>}. */
    static String image(RehearsalConfig.Shadow settings) {
        if (settings.image() != null) {
            return settings.image();
        }
        if (settings.engineVersion().isBlank()) {
            throw new ConfigurationException("engineVersion", "no engine version is set", "set <engineVersion> to production's version");
        }
        return ContainerShadow.officialImage(settings.engine(), settings.engineVersion());
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
