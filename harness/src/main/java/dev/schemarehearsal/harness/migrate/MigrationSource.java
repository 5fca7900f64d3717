package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the migrations come from and how they are applied: Flyway's scripts and Java migrations. The migrations'
 * statements reach the database through the sessions of the {@code DataSource} given, so that the rehearsal traces
 * them whichever tool produced them.
 */
public interface MigrationSource {

    /** The project's migrations, read by the tool its settings name. */
    static MigrationSource of(RehearsalConfig.Migrations settings, ShadowDatabase shadow) {
        return new FlywayMigrations(settings.locations(), shadow);
    }

    /**
     * Checks the baseline against the migrations' files before anything starts, so a typo costs a second, not a
     * container start; where the files can't be read without a database, the check waits for
     * {@link #migrateToBaseline}.
     *
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code baseline} or {@code locations}
     */
    static void checkBaseline(RehearsalConfig.Migrations settings) {
        FlywayScripts.checkBaseline(settings.locations(), settings.baseline());
    }

    /**
     * Applies every migration up to and including the baseline on the database the sessions are of (none for the
     * baseline {@code none}), telling {@code events} about each.
     *
     * @return the pending migrations, in the order they apply
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code baseline} or {@code locations}
     *                                                                when no migration has the baseline's version
     * @throws Failed when a migration up to the baseline, or the tool itself, fails
     */
    List<Migration> migrateToBaseline(DataSource database, String baseline, Events events);

    /**
     * The version the database's own record of applied migrations says it is at (Flyway's history table), or empty when
     * it keeps no such record: on a clone, production's version.
     */
    Optional<Recorded> recordedVersion();

    /**
     * Takes the database as being at the baseline, running none of the migrations up to it: a clone is production, which
     * has them. Where the database records no applied migration, the baseline is recorded, as the tool's own baseline
     * command does (Flyway's {@code baseline}), so that the tool goes on from there.
     *
     * @return the pending migrations, in the order they apply
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code baseline} when the database records
     *                                                                another version
     */
    List<Migration> takeAsBaseline(String baseline);

    /**
     * A version as the database records it.
     *
     * @param where the record it was read from, for the log, e.g. {@code Flyway's history table flyway_schema_history}
     */
    record Recorded(String version, String where) { }

    /**
     * Applies the pending migrations on the database the sessions are of, up to and including the version
     * {@code target} ({@code null}: all), telling {@code events} about each.
     *
     * @throws Failed when a migration, or the tool itself, fails
     */
    void migrate(DataSource database, String target, Events events);

    /**
     * Forgets a failed migration the tool recorded on the database (where DDL commits, a failure stays recorded), so
     * that {@link #migrate} goes on from there.
     *
     * @throws Failed when the tool fails
     */
    void repair(DataSource database);

    /** The migrations applied on the shadow, in the order they were. */
    List<Migration> applied();

    /**
     * Applies a repeatable migration once more on the shadow, as the tool does whenever its script changes.
     *
     * @throws Failed when it fails
     */
    void reapply(Migration repeatable);

    /**
     * What it means that the migration ran no statement, for the rehearsal's log: a script saved empty by mistake would
     * otherwise pass unnoticed. {@code null} when running none says nothing of the migration (a Java migration may
     * work without statements of its own).
     */
    String ranNoStatement(Migration migration);

    /** Whether a table is the tool's own bookkeeping (Flyway's history table), not the project's. */
    boolean ownTable(String table);

    /**
     * Whether a statement on a migration's session is the tool's own (its bookkeeping, its questions about the
     * database), not the migration's. Asked while the statement runs.
     */
    boolean ownStatement(String sql);

    /** Runs the work with the tool's log of failed migrations silenced: failures injected on purpose aren't the user's. */
    <T> T quietly(Supplier<T> work);

    /** What happens to each migration as it is applied. */
    interface Events {
        /** The migration starts on the session, inside its transaction where it has one. */
        default void starting(Migration migration, Connection session) throws SQLException {
        }

        /** The migration was applied; its transaction, if any, may not have ended yet. */
        default void applied(Migration migration) {
        }

        /** The migration failed. */
        default void failed(Migration migration) {
        }
    }

    /** A migration, or the tool, failed. */
    final class Failed extends RuntimeException {
        private final String error;

        /**
         * @param error the engine's own words, with the statement's line where the tool knows it
         * @param cause the tool's own exception
         */
        Failed(String error, RuntimeException cause) {
            super(error, cause);
            this.error = error;
        }

        /** The engine's own words, with the statement's line where the tool knows it. */
        public String error() {
            return error;
        }

        /** The tool's own exception, as it would reach a user who ran the tool. */
        public RuntimeException original() {
            return (RuntimeException) getCause();
        }
    }
}
