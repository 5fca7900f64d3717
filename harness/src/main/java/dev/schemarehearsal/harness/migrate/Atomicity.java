package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Measures whether each applied migration of several statements is atomic: on a scratch database on the shadow's
 * server, migrated with Flyway up to just before it, the migration runs again with a failure injected after
 * statement k, for each k but the last; the schema left behind is compared with the schema before it. One scratch
 * database serves while the migrations prove atomic (the failure left nothing, so Flyway can go on from there); one
 * that was left half-changed is dropped and the next migration starts on a new one.
 */
final class Atomicity {
    private final Supplier<FluentConfiguration> flyway;
    private final ShadowDatabase shadow;
    private final Dialect dialect;
    private final RehearsalListener listener;

    Atomicity(Supplier<FluentConfiguration> flyway, ShadowDatabase shadow, RehearsalListener listener) {
        this.flyway = flyway;
        this.shadow = shadow;
        this.dialect = Dialect.of(shadow.engine());
        this.listener = listener;
    }

    /** A non-atomic-migration finding for each applied versioned migration a failure part-way leaves half-changed. */
    List<Finding> check(List<MigrationResult> migrations) {
        List<Finding> findings = new ArrayList<>();
        List<MigrationResult> checked = migrations.stream().filter(m -> m.status() == MigrationStatus.APPLIED
                && m.version() != null && m.statements().size() >= 2).toList();
        if (checked.isEmpty()) {
            return findings;
        }
        listener.info("Atomicity: failing " + checked.stream().map(MigrationResult::script).collect(Collectors.joining(", "))
                + " on purpose after each statement but the last, on a copy");
        ShadowDatabase scratch = null;
        // Flyway reports each injected failure as a failed migration: not the user's to read.
        Logger flywayLog = Logger.getLogger("org.flywaydb");
        Level level = flywayLog.getLevel();
        flywayLog.setLevel(Level.OFF);
        try {
            for (MigrationResult migration : checked) {
                int statements = migration.statements().size();
                for (int k = 1; k < statements; k++) {
                    boolean fresh = scratch == null;
                    if (fresh) {
                        scratch = shadow.scratchBeside();
                    }
                    List<String> leftBehind = failAfter(scratch, migration, k, fresh);
                    if (!leftBehind.isEmpty()) {
                        findings.add(Finding.ofMigration(Rule.NON_ATOMIC_MIGRATION, migration.version(), k, null,
                                migration.script() + " is not atomic: failed on purpose after statement " + k + " of "
                                        + statements + " (on a copy), it left the schema half-changed: "
                                        + String.join("; ", leftBehind) + ". It could then neither be run again nor "
                                        + "undone by hand without care. Safe alternative: "
                                        + dialect.atomicityAlternative()));
                        scratch.close();
                        scratch = null;
                        break;
                    }
                }
            }
        } finally {
            flywayLog.setLevel(level);
            if (scratch != null) {
                scratch.close();
            }
        }
        return findings;
    }

    /** Runs the migration on the scratch database, failing after statement k; the schema difference it left. */
    private List<String> failAfter(ShadowDatabase scratch, MigrationResult migration, int k, boolean fresh) {
        Injection injection = new Injection(migration.version(), k);
        FluentConfiguration configuration = flyway.get();
        configuration.dataSource(new TracingDataSource(scratch.jdbcUrl(), scratch.user(), scratch.password(), injection))
                .target(MigrationVersion.fromVersion(migration.version())).callbacks(injection);
        injection.historyTable = configuration.getTable().toLowerCase(Locale.ROOT);
        try {
            if (!fresh) {
                // A failure recorded by the previous run, on an engine without transactional DDL, would stop Flyway.
                configuration.load().repair();
            }
            configuration.load().migrate();
        } catch (FlywayException e) {
            if (Interruption.interrupted()) {
                // The copy was dropped under the migration: nothing was measured, and nothing is wrong with it.
                throw e;
            }
            if (!injection.injected) {
                listener.warn("Atomicity of " + migration.script() + " not measured: it failed on a copy before "
                        + "statement " + k + " ran: " + MigrationRunner.engineError(e));
                return List.of();
            }
        }
        if (!injection.injected) {
            // Fewer statements ran this time (a Java migration that branches): nothing to say about this boundary.
            listener.warn("Atomicity of " + migration.script() + " after statement " + k + " not measured: it ran "
                    + "fewer statements on the copy");
            return List.of();
        }
        try (Connection connection = scratch.connect()) {
            return difference(injection.before, dialect.schemaObjects(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the scratch database's schema after failing "
                    + migration.script() + ": " + e.getMessage(), e);
        }
    }

    /** The objects added ({@code + }) and removed ({@code - }) between two schema listings; a change is both. */
    static List<String> difference(List<String> before, List<String> after) {
        List<String> difference = new ArrayList<>();
        after.stream().filter(o -> !before.contains(o)).forEach(o -> difference.add("+ " + o));
        before.stream().filter(o -> !after.contains(o)).forEach(o -> difference.add("- " + o));
        return difference;
    }

    /** Reads the schema before the migration, then fails it once its k-th statement has run. */
    private final class Injection implements TracingDataSource.Hook, Callback {
        private final String version;
        private final int failAfter;
        String historyTable;
        private Connection migration;
        private int ran;
        List<String> before;
        boolean injected;

        Injection(String version, int failAfter) {
            this.version = version;
            this.failAfter = failAfter;
        }

        @Override
        public Object execute(Connection connection, Connection real, String sql, Tracer.Execution execution)
                throws Throwable {
            Object result = execution.run();
            if (Tracer.migrationStatement(connection, migration, sql, historyTable) && ++ran == failAfter) {
                injected = true;
                throw new SQLException("failure injected by the schema rehearsal after statement " + failAfter);
            }
            return result;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            if (context.getMigrationInfo().getVersion() == null
                    || !context.getMigrationInfo().getVersion().getVersion().equals(version)) {
                return;
            }
            migration = context.getConnection();
            try {
                before = dialect.schemaObjects(TracingDataSource.unwrap(migration));
            } catch (SQLException e) {
                throw new FlywayException("could not read the schema before " + context.getMigrationInfo().getScript()
                        + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String getCallbackName() {
            return "schema-rehearsal-failure-injection";
        }
    }
}
