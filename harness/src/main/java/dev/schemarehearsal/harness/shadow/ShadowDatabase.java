package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.ShadowKind;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database the rehearsal may do anything to, because it made it: a container, an embedded server or a scratch
 * database. {@link #close()} removes it; it is idempotent, and also runs from the JVM's shutdown hook when the
 * build is interrupted (see {@link Teardown}), newest first. It throws an {@code InfrastructureException} only when
 * something could not be removed, naming what is left.
 */
public interface ShadowDatabase extends AutoCloseable {

    ShadowKind kind();

    Engine engine();

    /** The server's own version string, e.g. {@code 15.8}. */
    String serverVersion();

    /** The JDBC URL of the shadow database, with the dialect's connection properties. */
    String jdbcUrl();

    String user();

    String password();

    /** A new session on the shadow database. */
    default Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** A short human description, e.g. {@code container postgres:15}. */
    String describe();

    /**
     * A new empty scratch database on this shadow's server, for work that must not touch the shadow's own database
     * (failing migrations on purpose, say); closing it drops it. It is created and dropped through the connection
     * this shadow itself was created from (the server's URL, not this shadow's database), so that dropping it never
     * depends on this shadow still being there.
     */
    ShadowDatabase scratchBeside();

    @Override
    void close();
}
