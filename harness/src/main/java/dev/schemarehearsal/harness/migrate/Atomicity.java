package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Measures whether each applied migration of several statements is atomic: on a scratch database on the shadow's
 * server, migrated by the migration source up to just before it, the migration runs again with a failure injected after
 * statement k, for each k but the last; the schema left behind is compared with the schema before it. One scratch
 * database serves while the migrations prove atomic (the failure left nothing, so the tool can go on from there); one
 * that was left half-changed is dropped and the next migration starts on a new one.
 */
final class Atomicity {
    private final MigrationSource source;
    private final Dialect dialect;
    private final ShadowDatabase shadow;
    private final RehearsalListener listener;

    Atomicity(MigrationSource source, Dialect dialect, ShadowDatabase shadow, RehearsalListener listener) {
        this.source = source;
        this.dialect = dialect;
        this.shadow = shadow;
        this.listener = listener;
    }

    /** A non-atomic-migration finding for each applied versioned migration a failure part-way leaves half-changed. */
    List<Finding> check(List<MigrationResult> migrations) {
        List<MigrationResult> checked = migrations.stream().filter(m -> m.status() == MigrationStatus.APPLIED
                && m.version() != null && m.statements().size() >= 2).toList();
        if (checked.isEmpty()) {
            return List.of();
        }
        listener.info("Atomicity: failing " + checked.stream().map(MigrationResult::script).collect(Collectors.joining(", "))
                + " on purpose after each statement but the last, on a copy");
        // The tool reports each injected failure as a failed migration: not the user's to read.
        return source.quietly(() -> {
            List<Finding> findings = new ArrayList<>();
            ShadowDatabase scratch = null;
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
                if (scratch != null) {
                    scratch.close();
                }
            }
            return findings;
        });
    }

    /** Runs the migration on the scratch database, failing after statement k; the schema difference it left. */
    private List<String> failAfter(ShadowDatabase scratch, MigrationResult migration, int k, boolean fresh) {
        Injection injection = new Injection(migration.version(), k);
        DataSource injected = scratch.dataSource(Purpose.MIGRATION, real -> TracedConnection.wrap(real, injection));
        try {
            if (!fresh) {
                // A failure recorded by the previous run, on an engine without transactional DDL, would stop the tool.
                source.repair(injected);
            }
            source.migrate(injected, migration.version(), injection);
        } catch (MigrationSource.Failed e) {
            if (Interruption.interrupted()) {
                // The copy was dropped under the migration: nothing was measured, and nothing is wrong with it.
                throw e;
            }
            if (!injection.injected) {
                listener.warn("Atomicity of " + migration.script() + " not measured: it failed on a copy before "
                        + "statement " + k + " ran: " + e.error());
                return List.of();
            }
        }
        if (!injection.injected) {
            // Fewer statements ran this time (a Java migration that branches): nothing to say about this boundary.
            listener.warn("Atomicity of " + migration.script() + " after statement " + k + " not measured: it ran "
                    + "fewer statements on the copy");
            return List.of();
        }
        try (Connection connection = scratch.connect(Purpose.CATALOG)) {
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
    private final class Injection implements TracedConnection.Hook, MigrationSource.Events {
        private final String version;
        private final int failAfter;
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
            if (Tracer.migrationStatement(connection, migration, sql, source) && ++ran == failAfter) {
                injected = true;
                throw new SQLException("failure injected by the schema rehearsal after statement " + failAfter);
            }
            return result;
        }

        @Override
        public void starting(Migration starting, Connection session) throws SQLException {
            if (version.equals(starting.version())) {
                migration = session;
                before = dialect.schemaObjects(TracedConnection.unwrap(session));
            }
        }
    }
}
