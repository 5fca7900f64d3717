package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.Dialect;
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
            case CLONE -> settings.cloning().template() != null
                    ? ServerShadow.cloneOf(settings.engine(), settings.serverUrl(), settings.serverUser(),
                            settings.serverPassword(), settings.cloning().template(), listener).start()
                    : new CommandClone(settings.engine(), settings.cloning(), config.projectDirectory(),
                            settings.serverUser(), settings.serverPassword(), listener).start();
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

    /**
     * Refuses a clone without exactly one source, or one the engine cannot have, naming the settings.
     *
     * @throws ConfigurationException for {@code <shadow>clone</shadow>} with neither or both of {@code cloneTemplate}
     *                                and {@code cloneCommand}, a template without {@code serverUrl} or on an engine
     *                                without templates, a command without {@code cloneDestroyCommand}
     */
    public static void checkClone(RehearsalConfig.Clone clone, Engine engine, String serverUrl) {
        boolean template = clone.template() != null;
        boolean command = !clone.command().isEmpty();
        if (template == command) {
            throw new ConfigurationException(template ? "cloneCommand" : "shadow", template
                    ? "<cloneTemplate> and <cloneCommand> are both set" : "<shadow>clone</shadow> needs a clone to rehearse on",
                    template ? "keep one: <cloneTemplate> to copy a database on <serverUrl>'s server, or <cloneCommand>"
                            : "set <cloneTemplate> to a database on the PostgreSQL server at <serverUrl> holding a copy of "
                            + "production, or <cloneCommand> to a command that makes a clone and prints its JDBC URL");
        }
        if (template && Dialect.of(engine).templates().isEmpty()) {
            throw new ConfigurationException("cloneTemplate", "<cloneTemplate> copies a PostgreSQL database, but <engine> is "
                    + engine.id(), "set <cloneCommand> to a command that makes a clone of the " + engine.id() + " database");
        }
        if (template && serverUrl == null) {
            throw new ConfigurationException("serverUrl", "<cloneTemplate> " + clone.template() + " is copied on the "
                    + "server at <serverUrl>, which is not set", "set <serverUrl> to a JDBC URL of that server");
        }
        if (command && serverUrl != null) {
            throw new ConfigurationException("serverUrl", "<serverUrl> is set, but with <cloneCommand> the clone is where "
                    + "the command's URL says", "remove <serverUrl> (<serverId>, <serverUser> and <serverPassword> still "
                    + "give the clone's credentials)");
        }
        if (command && clone.destroyCommand().isEmpty()) {
            throw new ConfigurationException("cloneDestroyCommand", "<cloneCommand> is set without <cloneDestroyCommand>: "
                    + "the clone would outlive the rehearsal", "set <cloneDestroyCommand> to the command that destroys the "
                    + "clone; it finds its URL in $" + CommandClone.URL_VARIABLE);
        }
        if (clone.timeoutSeconds() <= 0) {
            throw new ConfigurationException("cloneTimeoutSeconds", "the clone commands' time " + clone.timeoutSeconds()
                    + " is not positive", "set <cloneTimeoutSeconds> to seconds, e.g. 600");
        }
    }

    private record Choice(ShadowKind kind, String reason) { }

    private static Choice choose(RehearsalConfig.Shadow settings) {
        return switch (settings.kind()) {
            case SERVER -> new Choice(ShadowKind.SERVER, "<shadow>server</shadow> is set");
            case CONTAINER -> new Choice(ShadowKind.CONTAINER, "<shadow>container</shadow> is set");
            case EMBEDDED -> new Choice(ShadowKind.EMBEDDED, "<shadow>embedded</shadow> is set");
            case CLONE -> new Choice(ShadowKind.CLONE, settings.cloning().template() != null
                    ? "<shadow>clone</shadow> is set: a copy of the template " + settings.cloning().template()
                    : "<shadow>clone</shadow> is set: made by <cloneCommand>");
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
