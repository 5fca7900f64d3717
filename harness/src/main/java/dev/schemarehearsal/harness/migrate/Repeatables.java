package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies each repeatable migration a second time, as the migration tool does whenever its file changes, and checks
 * it neither fails nor changes the schema.
 */
final class Repeatables {
    private final MigrationSource source;
    private final Dialect dialect;
    private final ShadowDatabase shadow;

    Repeatables(MigrationSource source, Dialect dialect, ShadowDatabase shadow) {
        this.source = source;
        this.dialect = dialect;
        this.shadow = shadow;
    }

    /** A finding for each repeatable SQL migration that fails or changes the schema when applied again. */
    List<Finding> check(List<Migration> applied) {
        List<Finding> findings = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (Migration migration : applied) {
            String location = migration.location();
            if (migration.version() == null && location != null && location.endsWith(".sql") && checked.add(location)) {
                reapply(migration).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private Optional<Finding> reapply(Migration migration) {
        String alternative = " Safe alternative: write it so it can run again: CREATE OR REPLACE, IF NOT EXISTS, "
                + "DROP … IF EXISTS before CREATE.";
        try (Connection connection = shadow.connect(Purpose.CATALOG)) {
            List<String> before = dialect.schemaObjects(connection);
            try {
                source.reapply(migration);
            } catch (MigrationSource.Failed e) {
                return Optional.of(Finding.ofMigration(Rule.NOT_IDEMPOTENT, null, null, null, migration.script()
                        + " failed when applied a second time, as Flyway does whenever the file changes: "
                        + e.error() + "." + alternative));
            }
            List<String> after = dialect.schemaObjects(connection);
            if (before.equals(after)) {
                return Optional.empty();
            }
            return Optional.of(Finding.ofMigration(Rule.NOT_IDEMPOTENT, null, null, null, migration.script()
                    + " changed the schema when applied a second time: "
                    + String.join("; ", Atomicity.difference(before, after)) + "." + alternative));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the schema to re-apply " + migration.script() + ": "
                    + e.getMessage(), e);
        }
    }
}
