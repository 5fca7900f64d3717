package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A clone made by the user's command (a thin-clone engine's CLI, a cloud provider's): the command prints the clone's
 * JDBC URL as its last line; the destroy command removes it. The destroy command runs whenever the create command was
 * started, even when it failed or printed no URL, so that a clone it made half-way is not left behind.
 */
final class CommandClone implements ShadowDatabase {
    /** The clone's URL, as the create command printed it; empty when it printed none. */
    static final String URL_VARIABLE = "SCHEMA_REHEARSAL_CLONE_URL";
    /** Everything the create command printed on its standard output. */
    static final String OUTPUT_VARIABLE = "SCHEMA_REHEARSAL_CLONE_OUTPUT";
    /** A fresh name, {@code schema_rehearsal_<random>}, for commands that need one for the clone. */
    static final String NAME_VARIABLE = "SCHEMA_REHEARSAL_CLONE_NAME";
    /** How long {@link #close} waits for an interrupted create command's output. */
    private static final long OUTPUT_WAIT_SECONDS = 15;
    /** A word that sets a secret's value, e.g. {@code PGPASSWORD=x} or {@code --api-token=x}. */
    private static final Pattern SECRET_WORD = Pattern.compile("(?i)^(-*[\\w.-]*(?:password|passwd|pwd|secret|token|key)[\\w.-]*=).+");

    private final Engine engine;
    private final Dialect dialect;
    private final RehearsalConfig.Clone settings;
    private final Path directory;
    private final String user;
    private final String password;
    private final RehearsalListener listener;
    private final String name = ServerShadow.PREFIX + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final CountDownLatch created = new CountDownLatch(1);
    private volatile Process creating;
    private volatile Command.Ran creation;
    private volatile boolean started;
    private String url;
    private String serverVersion;
    private boolean closed;

    /** @param directory where the commands run: the project's folder */
    CommandClone(Engine engine, RehearsalConfig.Clone settings, Path directory, String user, String password,
                 RehearsalListener listener) {
        this.engine = engine;
        this.dialect = Dialect.of(engine);
        this.settings = settings;
        this.directory = directory;
        this.user = user;
        this.password = password;
        this.listener = listener;
    }

    CommandClone start() {
        Teardown.register(this, listener);
        try {
            create();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException notDestroyed) {
                e.addSuppressed(notDestroyed);
                listener.warn("Could not destroy the clone: " + Secrets.redact(notDestroyed.getMessage()));
            }
            throw e;
        }
        return this;
    }

    private void create() {
        listener.info("Clone: running " + shown(settings.command()) + " in " + directory);
        Command.Ran ran;
        try {
            started = true;
            ran = Command.run(settings.command(), directory, Map.of(NAME_VARIABLE, name),
                    Duration.ofSeconds(settings.timeoutSeconds()), process -> creating = process);
            creation = ran;
        } catch (IOException e) {
            throw new ConfigurationException("cloneCommand", "could not run " + settings.command().get(0) + " in "
                    + directory + ": " + e.getMessage(), "check the program's name and path: it runs without a shell, "
                    + "from the project's folder (write sh -c '…' for a shell)", e);
        } finally {
            created.countDown();
        }
        if (Interruption.shuttingDown()) {
            throw new InfrastructureException("the build is being interrupted: the clone command was stopped", null, null);
        }
        String command = "<cloneCommand> " + shown(settings.command());
        if (!ran.succeeded()) {
            throw new InfrastructureException(command + " " + ran.ending(settings.timeoutSeconds()) + "; "
                    + Secrets.redact(ran.stderrTail()), ran.timedOut()
                    ? "raise <cloneTimeoutSeconds> if making a clone takes longer, or run the command by hand to see where it waits"
                    : "run the command by hand in " + directory + " to see why", null);
        }
        String last = ran.lastLine();
        if (!last.startsWith("jdbc:")) {
            throw new InfrastructureException(command + " printed no JDBC URL as its last line" + (last.isEmpty()
                    ? " (it printed nothing)" : " (it ended with '" + Secrets.redact(last) + "')") + "; "
                    + Secrets.redact(ran.stderrTail()), "make the command print the clone's URL, e.g. "
                    + "jdbc:postgresql://host:5432/database, as the last line of its standard output, everything else to "
                    + "its error output", null);
        }
        if (!dialect.urlSchemes().contains(scheme(last))) {
            throw new ConfigurationException("engine", command + " printed '" + Secrets.redact(last) + "', which is not a "
                    + engine.id() + " JDBC URL", "set <engine> to the clone's engine, or have the command print a "
                    + "jdbc:" + dialect.urlSchemes().get(0) + ": URL");
        }
        url = last;
        try (Connection session = connect(Purpose.ADMIN)) {
            serverVersion = session.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new InfrastructureException("the clone at '" + url + "' that " + command + " made does not answer: "
                    + e.getMessage(), "check that the URL it prints reaches the clone from this machine, and the "
                    + "credentials (<serverId>, or <serverUser>/<serverPassword>, or in the URL)", e);
        }
        listener.info("Clone made: " + Secrets.redact(url));
    }

    /**
     * A command as messages show it: a word that sets a secret ({@code PGPASSWORD=…}, {@code --token=…}) has its
     * value masked, and URLs are {@linkplain Secrets#redact redacted}.
     */
    static String shown(List<String> command) {
        return command.stream().map(word -> Secrets.redact(SECRET_WORD.matcher(word).replaceAll("$1" + Secrets.MASK)))
                .collect(Collectors.joining(" "));
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return colon < 0 ? "" : url.substring("jdbc:".length(), colon);
    }

    @Override
    public ShadowKind kind() {
        return ShadowKind.CLONE;
    }

    /** A clone is production's full size: its estimates are its measurements, and it is never copied to calibrate. */
    @Override
    public ShadowDatabase scratchCopy(Predicate<String> withRows) {
        throw new InfrastructureException("a clone made by the clone command is not copied", "nothing to do: on a "
                + "clone the production estimates are the measurements", null);
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(url, user, password);
    }

    @Override
    public String describe() {
        return "clone " + (url == null ? name + " (no URL)" : Secrets.redact(url));
    }

    /** An empty database beside the clone, on the clone's server: the clone's user needs the right to create one. */
    @Override
    public ShadowDatabase scratchBeside() {
        return new ServerShadow(engine, url, user, password, listener).start();
    }

    /**
     * Stops the create command if it still runs (the build was interrupted), then runs the destroy command.
     *
     * @throws InfrastructureException when the destroy command fails, naming what to destroy by hand
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (!started) {
                return;
            }
            Process process = creating;
            if (process != null && process.isAlive()) {
                Command.stop(process);
            }
            try {
                created.await(OUTPUT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            destroy();
        } finally {
            Teardown.unregister(this);
        }
    }

    private void destroy() {
        Command.Ran made = creation;
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(URL_VARIABLE, url == null ? "" : url);
        environment.put(OUTPUT_VARIABLE, made == null ? "" : made.stdout());
        environment.put(NAME_VARIABLE, name);
        String command = "<cloneDestroyCommand> " + shown(settings.destroyCommand());
        String byHand = url == null ? "check whether " + shown(settings.command()) + " left a clone, and "
                + "destroy it by hand" : "destroy the clone at " + Secrets.redact(url) + " by hand";
        Command.Ran ran;
        try {
            ran = Command.run(settings.destroyCommand(), directory, environment,
                    Duration.ofSeconds(settings.timeoutSeconds()), process -> { });
        } catch (IOException e) {
            throw new InfrastructureException("could not run " + command + ": " + e.getMessage(), byHand
                    + ", and check <cloneDestroyCommand>'s program name and path", e);
        }
        if (!ran.succeeded()) {
            throw new InfrastructureException(command + " " + ran.ending(settings.timeoutSeconds()) + "; "
                    + Secrets.redact(ran.stderrTail()), byHand, null);
        }
    }
}
