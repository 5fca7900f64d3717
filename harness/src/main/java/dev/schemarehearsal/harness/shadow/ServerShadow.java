package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scratch database {@code schema_rehearsal_<random>} on an existing server. Every rehearsal session connects to
 * the scratch database only; the server's own database in the URL is used for nothing but creating and dropping it.
 */
final class ServerShadow implements ShadowDatabase {
    static final String PREFIX = "schema_rehearsal_";
    private static final Pattern URL = Pattern.compile("jdbc:(\\w+)://([^/?]*)(/[^?]*)?(\\?.*)?");

    private final Engine engine;
    private final Dialect dialect;
    private final Endpoint admin;
    private final Matcher url;
    private String scratch;
    private String serverVersion;
    private boolean closed;

    ServerShadow(Engine engine, String serverUrl, String user, String password) {
        this.engine = engine;
        this.dialect = Dialect.of(engine);
        this.admin = new Endpoint(serverUrl, user, password);
        this.url = URL.matcher(serverUrl);
        if (!url.matches() || !dialect.urlSchemes().contains(url.group(1))) {
            throw new ConfigurationException("serverUrl", "'" + serverUrl + "' is not a " + engine.id() + " JDBC URL",
                    "write jdbc:" + dialect.urlSchemes().get(0) + "://host:port/database, or set <engine> to the server's engine");
        }
    }

    synchronized ServerShadow start() {
        Teardown.register(this);
        String name = PREFIX + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        try (Connection session = admin.connect(dialect, Purpose.ADMIN);
             Statement statement = session.createStatement()) {
            serverVersion = session.getMetaData().getDatabaseProductVersion();
            statement.execute(dialect.createDatabase(name));
            scratch = name;
        } catch (SQLException e) {
            close();
            throw new InfrastructureException("could not create a scratch database on " + admin.url() + ": " + e.getMessage(),
                    "check <serverUrl> and the credentials (<serverId>, or <serverUser>/<serverPassword>); the user needs "
                            + "the right to create databases", e);
        }
        return this;
    }

    @Override
    public ShadowKind kind() {
        return ShadowKind.SERVER;
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
        return new Endpoint("jdbc:" + url.group(1) + "://" + url.group(2) + "/" + scratch
                + (url.group(4) == null ? "" : url.group(4)), admin.user(), admin.password());
    }

    /** The scratch database's name. */
    String scratchDatabase() {
        return scratch;
    }

    @Override
    public String describe() {
        return "scratch database " + scratch + " on " + url.group(2);
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
