package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.DatabaseTemplates;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scratch database {@code schema_rehearsal_<random>} on an existing server, empty, or a copy of a template database
 * there (a clone). Every rehearsal session connects to the scratch database only; the server's own database in the URL
 * is used for nothing but creating and dropping it, and a template is only read, by the server as it copies it.
 */
final class ServerShadow implements ShadowDatabase {
    static final String PREFIX = "schema_rehearsal_";
    /** Scheme, user info (kept for connecting, never shown), host and port, database, parameters. */
    private static final Pattern URL = Pattern.compile("jdbc:(\\w+)://([^/?@]*@)?([^/?]*)(/[^?]*)?(\\?.*)?");

    private final Engine engine;
    private final Dialect dialect;
    private final Endpoint admin;
    private final RehearsalListener listener;
    private final boolean goesWithServer;
    private final Matcher url;
    private final String template;
    private String scratch;
    private String serverVersion;
    private boolean closed;

    /** @param listener told when the build is interrupted and the scratch database dropped */
    ServerShadow(Engine engine, String serverUrl, String user, String password, RehearsalListener listener) {
        this(engine, serverUrl, user, password, listener, false);
    }

    /**
     * @param goesWithServer the server is one this build started (a container, an embedded server): when the build
     *                       is interrupted, the scratch database goes with the server, and the teardown leaves it be
     *                       (dropping it while the server is being removed could only fail)
     */
    ServerShadow(Engine engine, String serverUrl, String user, String password, RehearsalListener listener,
                 boolean goesWithServer) {
        this(engine, serverUrl, user, password, listener, goesWithServer, null);
    }

    /** A clone of the template database on the server at {@code serverUrl}: {@code CREATE DATABASE ... TEMPLATE}. */
    static ServerShadow cloneOf(Engine engine, String serverUrl, String user, String password, String template,
                                RehearsalListener listener) {
        return new ServerShadow(engine, serverUrl, user, password, listener, false, template);
    }

    private ServerShadow(Engine engine, String serverUrl, String user, String password, RehearsalListener listener,
                         boolean goesWithServer, String template) {
        this.template = template;
        this.engine = engine;
        this.listener = listener;
        this.goesWithServer = goesWithServer;
        this.dialect = Dialect.of(engine);
        this.admin = new Endpoint(serverUrl, user, password);
        this.url = URL.matcher(serverUrl);
        if (!url.matches() || !dialect.urlSchemes().contains(url.group(1))) {
            throw new ConfigurationException("serverUrl", "'" + serverUrl + "' is not a " + engine.id() + " JDBC URL",
                    "write jdbc:" + dialect.urlSchemes().get(0) + "://host:port/database, or set <engine> to the server's engine");
        }
    }

    synchronized ServerShadow start() {
        return start(null, table -> true);
    }

    /** A new scratch database holding a copy of the database {@code original} on the same server. */
    synchronized ServerShadow startCopy(String original, Predicate<String> withRows) {
        return start(original, withRows);
    }

    private ServerShadow start(String original, Predicate<String> withRows) {
        if (goesWithServer) {
            Teardown.refuseIfStarted();
        } else {
            Teardown.register(this, listener);
        }
        String name = PREFIX + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Connection session = null;
        try {
            session = admin.connect(dialect, Purpose.ADMIN);
            serverVersion = session.getMetaData().getDatabaseProductVersion();
            if (original != null) {
                // Named before the copy starts, so that a copy left half-made is dropped with the rest.
                scratch = name;
                dialect.measuring().copyDatabase(session, original, name, withRows);
            } else {
                try (Statement statement = session.createStatement()) {
                    statement.execute(template == null ? dialect.createDatabase(name) : templates().copy(name, template));
                }
            }
            scratch = name;
        } catch (SQLException e) {
            RuntimeException failure = template == null || original != null || session == null ? null : refused(session, e);
            close(session);
            close();
            if (failure != null) {
                throw failure;
            }
            throw new InfrastructureException("could not create a " + (original != null ? "copy of " + original
                    : template == null ? "scratch database" : "clone of " + template) + " on '" + admin.url() + "': "
                    + e.getMessage(),
                    "check <serverUrl> and the credentials (<serverId>, or <serverUser>/<serverPassword>); the user needs "
                            + "the right to create databases", e);
        }
        close(session);
        return this;
    }

    private DatabaseTemplates templates() {
        return dialect.templates().orElseThrow(() -> new IllegalStateException(engine.id() + " has no templates: "
                + "checked with the configuration"));
    }

    /** Why the server refused to copy the template, when it is the template's doing: missing, or in use; else null. */
    private RuntimeException refused(Connection session, SQLException e) {
        try {
            if (templates().missing(e)) {
                List<String> databases = templates().databases(session);
                return new ConfigurationException("cloneTemplate", "there is no database '" + template + "' on "
                        + url.group(3) + " to clone: " + e.getMessage(), "set <cloneTemplate> to the database holding the "
                        + "copy of production; the server's databases are " + Dialect.someOf(databases));
            }
            Optional<List<String>> sessions = templates().inTheWay(session, template, e);
            if (sessions.isPresent()) {
                return new InfrastructureException("PostgreSQL refused to copy the template " + template + ": "
                        + e.getMessage() + (sessions.get().isEmpty() ? " (they had gone when asked which)"
                        : "; connected to it: " + String.join("; ", sessions.get())),
                        "a template is copied only while no other session is connected to it: have them disconnect "
                                + "(or end them with SELECT pg_terminate_backend(pid)), or keep a copy of production that "
                                + "nothing else connects to as <cloneTemplate>", e);
            }
        } catch (SQLException | RuntimeException unexplained) {
            e.addSuppressed(unexplained);
        }
        return null;
    }

    private static void close(Connection session) {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // The session's work is done or failed already; closing it has nothing to add.
            }
        }
    }

    @Override
    public ShadowKind kind() {
        return template == null ? ShadowKind.SERVER : ShadowKind.CLONE;
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
        String userInfo = url.group(2) == null ? "" : url.group(2);
        return new Endpoint("jdbc:" + url.group(1) + "://" + userInfo + url.group(3) + "/" + scratch
                + (url.group(5) == null ? "" : url.group(5)), admin.user(), admin.password());
    }

    /** The scratch database's name. */
    String scratchDatabase() {
        return scratch;
    }

    @Override
    public String describe() {
        return (template == null ? "scratch database " + scratch : "clone " + scratch + " of template " + template)
                + " on " + url.group(3);
    }

    @Override
    public ShadowDatabase scratchBeside() {
        return new ServerShadow(engine, admin.url(), admin.user(), admin.password(), listener).start();
    }

    @Override
    public ShadowDatabase scratchCopy(Predicate<String> withRows) {
        return new ServerShadow(engine, admin.url(), admin.user(), admin.password(), listener, goesWithServer)
                .startCopy(scratch, withRows);
    }

    /** The JDBC URL with another database in it. */
    static String withDatabase(String url, String database) {
        Matcher parts = URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a JDBC URL: " + url);
        }
        return "jdbc:" + parts.group(1) + "://" + (parts.group(2) == null ? "" : parts.group(2)) + parts.group(3) + "/"
                + database + (parts.group(5) == null ? "" : parts.group(5));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (scratch != null) {
                try (Connection session = admin.connect(dialect, Purpose.ADMIN)) {
                    dialect.dropDatabase(session, scratch);
                } catch (SQLException e) {
                    throw new InfrastructureException("could not drop the scratch database " + scratch + ": " + e.getMessage(),
                            "drop it by hand: DROP DATABASE " + scratch, e);
                }
            }
        } finally {
            Teardown.unregister(this);
        }
    }
}
