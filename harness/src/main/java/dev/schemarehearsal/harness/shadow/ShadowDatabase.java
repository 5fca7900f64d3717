package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.Dialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A database the rehearsal may do anything to, because it made it: a container, an embedded server or a scratch
 * database. It is the only source of sessions on it: {@link #connect} and {@link #dataSource}, each session named by
 * its purpose on the server. {@link #close()} removes it; it is idempotent, and also runs from the JVM's shutdown hook
 * when the build is interrupted (see {@link Teardown}), newest first. It throws an {@code InfrastructureException} only when
 * something could not be removed, naming what is left.
 */
public interface ShadowDatabase extends AutoCloseable {

    /** What a session is for; the server shows it as the session's application name. */
    enum Purpose {
        /** The server's own database: creating and dropping scratch databases, the server's version. */
        ADMIN,
        /** The migration tool's sessions: the baseline, the pending migrations, their re-runs on copies. */
        MIGRATION,
        /** Watches the locks a migration's session holds. */
        OBSERVER,
        /** Holds a weak lock so that a statement outside a transaction queues and its locks are seen. */
        GATE,
        /** The probe workload: each of its statements planned as it runs (see {@link Dialect#planEachStatement}). */
        PROBE,
        /** Loading the sample data. */
        LOAD,
        /** Planning the queries. */
        PLANS,
        /** Running the backfills. */
        BACKFILL,
        /** Reading the schema outside a migration. */
        CATALOG,
        /** Measuring statements and backfills on copies of the shadow, for their production estimates. */
        CALIBRATION;

        /** The session's name on the server, e.g. {@code schema-rehearsal migration}. */
        public String application() {
            return "schema-rehearsal " + name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where a database is: its JDBC URL, without the tool's session properties, and the credentials.
     */
    record Endpoint(String url, String user, String password) {
        Connection connect(Dialect dialect, Purpose purpose) throws SQLException {
            Connection session = dialect.connect(url, user, password, purpose.application());
            if (purpose == Purpose.PROBE) {
                try {
                    dialect.planEachStatement(session);
                } catch (SQLException | RuntimeException e) {
                    session.close();
                    throw e;
                }
            }
            return session;
        }
    }

    ShadowKind kind();

    Engine engine();

    /** The server's own version string, e.g. {@code 15.8}. */
    String serverVersion();

    /**
     * Where the shadow database is, for tools outside the rehearsal (a client such as psql or pg_dump, a test that
     * samples it). The rehearsal itself connects through {@link #connect} only.
     */
    Endpoint endpoint();

    /** The engine's dialect. */
    default Dialect dialect() {
        return Dialect.of(engine());
    }

    /** A new session on the shadow database. */
    default Connection connect(Purpose purpose) throws SQLException {
        return endpoint().connect(dialect(), purpose);
    }

    /** The shadow database as a {@code DataSource} of sessions for the purpose, for a tool that takes one (Flyway). */
    default DataSource dataSource(Purpose purpose) {
        return dataSource(purpose, UnaryOperator.identity());
    }

    /** As {@link #dataSource(Purpose)}, each session handed out through {@code wrap}, e.g. to trace its statements. */
    default DataSource dataSource(Purpose purpose, UnaryOperator<Connection> wrap) {
        return new Sessions(this, purpose, wrap);
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

    /**
     * A new scratch database on this shadow's server holding a copy of this one, as {@link #scratchBeside} makes it:
     * its schema, the migration tool's history and its rows (engines that copy a database as a whole copy every
     * table's rows; the others those of the tables {@code withRows} accepts, the others left empty). No other session
     * may be on this database meanwhile where the engine copies it as a whole.
     */
    ShadowDatabase scratchCopy(Predicate<String> withRows);

    @Override
    void close();
}
