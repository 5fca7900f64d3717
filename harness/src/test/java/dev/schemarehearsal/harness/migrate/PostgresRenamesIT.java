package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.tuple;

/**
 * Renames and drops as real projects' Flyway scripts write them, on embedded PostgreSQL 15 and 18: a renamed table or
 * column is the same oid or attnum under a new name, reported as a rename (code using the old name breaks; nothing is
 * lost), and a renamed or dropped table's ACCESS EXCLUSIVE lock is recorded under the name it had, in a transaction
 * or outside one, so the lock rules see it. Lint predicts the same from the text.
 */
class PostgresRenamesIT {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void renamesAreRenamesAndDropsLock(String major, @TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__shop.sql"), """
                CREATE TABLE customers (
                    id bigint PRIMARY KEY,
                    email text NOT NULL,
                    full_name text
                );
                CREATE TABLE settings (
                    key varchar(100) PRIMARY KEY,
                    value text NOT NULL
                );
                CREATE TABLE audit_log (
                    id bigserial PRIMARY KEY,
                    at timestamptz NOT NULL DEFAULT now(),
                    what text
                );
                CREATE TABLE old_sessions (id bigint PRIMARY KEY, token text);
                INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 2000) g;
                INSERT INTO settings VALUES ('site.name', 'Shop'), ('site.locale', 'en');
                INSERT INTO audit_log (what) SELECT 'event ' || g FROM generate_series(1, 500) g;
                INSERT INTO old_sessions SELECT g, md5(g::text) FROM generate_series(1, 500) g;
                """);
        Files.writeString(migrations.resolve("V2__site_settings.sql"),
                "ALTER TABLE IF EXISTS settings RENAME TO site_settings;\n");
        Files.writeString(migrations.resolve("V3__display_name.sql"), """
                SET LOCAL lock_timeout = '2s';
                ALTER TABLE customers RENAME COLUMN full_name TO display_name;
                """);
        Files.writeString(migrations.resolve("V4__drop_audit_log.sql"), "DROP TABLE audit_log;\n");
        Files.writeString(migrations.resolve("V5__app_settings.sql"), """
                ALTER TABLE site_settings RENAME TO app_settings;
                ALTER TABLE app_settings ADD COLUMN changed_at timestamptz DEFAULT clock_timestamp();
                """);
        Path outside = migrations.resolve("V6__drop_old_sessions.sql");
        Files.writeString(outside, "DROP TABLE old_sessions;\n");
        Files.writeString(Path.of(outside + ".conf"), "executeInTransaction=false\n");

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion(major)
                .baseline("1").failOn("none").load().run(event -> { });

        SoftAssertions soft = new SoftAssertions();
        StatementResult renameTable = statement(result, "2", 1);
        soft.assertThat(renameTable.renamed()).containsExactly(new Renamed("settings", null, "site_settings"));
        soft.assertThat(renameTable.destroyed()).isEmpty();
        soft.assertThat(renameTable.locks()).extracting(Lock::table, Lock::mode, Lock::blocks)
                .containsExactly(tuple("settings", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES)));
        soft.assertThat(rules(result, "2", 1)).containsExactlyInAnyOrder(Rule.BREAKING_RENAME, Rule.MISSING_LOCK_TIMEOUT);
        soft.assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.BREAKING_RENAME && "2".equals(f.migration()))
                .singleElement().satisfies(f -> soft.assertThat(f.message()).contains("renamed table settings to "
                        + "site_settings", "CREATE VIEW settings AS SELECT * FROM site_settings in the same transaction"));

        StatementResult renameColumn = statement(result, "3", 2);
        soft.assertThat(renameColumn.renamed()).containsExactly(new Renamed("customers", "full_name", "display_name"));
        soft.assertThat(renameColumn.destroyed()).isEmpty();
        soft.assertThat(renameColumn.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(tuple("customers", "AccessExclusiveLock"));
        // The migration set a lock timeout first.
        soft.assertThat(rules(result, "3", 2)).containsExactly(Rule.BREAKING_RENAME);

        StatementResult drop = statement(result, "4", 1);
        soft.assertThat(drop.destroyed()).containsExactly(new Destroyed("audit_log", null, null, null));
        soft.assertThat(drop.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(tuple("audit_log", "AccessExclusiveLock"));
        soft.assertThat(rules(result, "4", 1)).containsExactlyInAnyOrder(Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT);

        // The table keeps counting under its new name for the rest of the migration. Its ACCESS EXCLUSIVE lock, taken
        // by the rename, is the rename's; the rewrite adds the SHARE lock of its index builds.
        StatementResult renamedAgain = statement(result, "5", 1);
        StatementResult addColumn = statement(result, "5", 2);
        soft.assertThat(renamedAgain.renamed()).containsExactly(new Renamed("site_settings", null, "app_settings"));
        soft.assertThat(renamedAgain.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(tuple("site_settings", "AccessExclusiveLock"));
        soft.assertThat(addColumn.rewrites()).containsExactly("app_settings");
        // It runs under the rename's lock too, still held in the same transaction and named as the rename took it.
        soft.assertThat(addColumn.locks()).extracting(Lock::table, Lock::mode, Lock::acquiredBy)
                .containsExactly(tuple("app_settings", "ShareLock", 2), tuple("site_settings", "AccessExclusiveLock", 1));
        soft.assertThat(rules(result, "5", 2)).containsExactlyInAnyOrder(Rule.TABLE_REWRITE, Rule.VOLATILE_DEFAULT,
                Rule.MISSING_LOCK_TIMEOUT);

        // Outside a transaction the lock is seen by another session while the statement queues at the gate.
        StatementResult dropOutside = statement(result, "6", 1);
        soft.assertThat(dropOutside.committed()).isTrue();
        soft.assertThat(dropOutside.destroyed()).containsExactly(new Destroyed("old_sessions", null, null, null));
        soft.assertThat(dropOutside.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(tuple("old_sessions", "AccessExclusiveLock"));
        soft.assertThat(rules(result, "6", 1)).containsExactlyInAnyOrder(Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT);

        soft.assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.DESTRUCTIVE_CHANGE).extracting(Finding::table)
                .containsExactlyInAnyOrder("audit_log", "old_sessions");
        // schema:lint predicted each rename, drop and missing lock timeout the rehearsal measured.
        soft.assertThat(result.disagreements()).isEmpty();
        soft.assertAll();
    }

    private static StatementResult statement(RehearsalResult result, String version, int index) {
        MigrationResult migration = result.migrations().stream().filter(m -> version.equals(m.version())).findFirst()
                .orElseThrow();
        return migration.statements().get(index - 1);
    }

    /** The rules found on a statement; blocking-lock depends on the machine's speed and is left out. */
    private static List<Rule> rules(RehearsalResult result, String version, int index) {
        return result.findings().stream().filter(f -> version.equals(f.migration()) && Integer.valueOf(index)
                .equals(f.statement()) && f.rule() != Rule.BLOCKING_LOCK).map(Finding::rule).toList();
    }
}
