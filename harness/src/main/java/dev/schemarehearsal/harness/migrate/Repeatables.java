package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies each repeatable migration a second time, as Flyway does whenever its file changes, and checks it neither
 * fails nor changes the schema. Flyway re-applies a repeatable migration when its checksum changes: each script is
 * copied with a comment appended into a folder of its own, which Flyway is pointed at alone.
 */
final class Repeatables {
    private final Supplier<FluentConfiguration> flyway;
    private final Dialect dialect;
    private final ShadowDatabase shadow;

    Repeatables(Supplier<FluentConfiguration> flyway, Dialect dialect, ShadowDatabase shadow) {
        this.flyway = flyway;
        this.dialect = dialect;
        this.shadow = shadow;
    }

    /** A finding for each repeatable SQL migration that fails or changes the schema when applied again. */
    List<Finding> check(List<MigrationInfo> applied) {
        List<Finding> findings = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (MigrationInfo migration : applied) {
            String location = migration.getPhysicalLocation();
            if (migration.getVersion() == null && location != null && location.endsWith(".sql") && checked.add(location)) {
                reapply(migration, Path.of(location)).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private Optional<Finding> reapply(MigrationInfo migration, Path script) {
        String alternative = " Safe alternative: write it so it can run again: CREATE OR REPLACE, IF NOT EXISTS, "
                + "DROP … IF EXISTS before CREATE.";
        Path folder = null;
        try (Connection connection = shadow.connect(Purpose.CATALOG)) {
            folder = Files.createTempDirectory("schema-rehearsal-repeatable");
            Files.writeString(folder.resolve(script.getFileName()), Files.readString(script)
                    + "\n-- applied again by the schema rehearsal\n");
            Path conf = Path.of(script + ".conf");
            if (Files.exists(conf)) {
                Files.copy(conf, folder.resolve(conf.getFileName()));
            }
            List<String> before = dialect.schemaObjects(connection);
            try {
                flyway.get().locations("filesystem:" + folder).validateOnMigrate(false).load().migrate();
            } catch (FlywayException e) {
                return Optional.of(Finding.ofMigration(Rule.NOT_IDEMPOTENT, null, null, null, migration.getScript()
                        + " failed when applied a second time, as Flyway does whenever the file changes: "
                        + MigrationRunner.engineError(e) + "." + alternative));
            }
            List<String> after = dialect.schemaObjects(connection);
            if (before.equals(after)) {
                return Optional.empty();
            }
            return Optional.of(Finding.ofMigration(Rule.NOT_IDEMPOTENT, null, null, null, migration.getScript()
                    + " changed the schema when applied a second time: "
                    + String.join("; ", Atomicity.difference(before, after)) + "." + alternative));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the schema to re-apply " + migration.getScript() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(folder);
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(folder);
        } catch (IOException e) {
            // A temporary folder left behind harms nothing.
        }
    }
}
