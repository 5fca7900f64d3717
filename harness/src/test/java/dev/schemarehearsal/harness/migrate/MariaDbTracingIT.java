package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * On MariaDB the statements are traced, table rebuilds measured by InnoDB space id and dropped or narrowed columns
 * from the catalog; the expected rebuilds were
 * measured on mariadb:10.11 (src/test/resources/tracing/verify-on-mariadb.sql). Locks come from the ALTER algorithm
 * the server picks (AcceptanceCorpusIT checks them against a second session).
 */
class MariaDbTracingIT {
    /** Each migration's statement on its own table, and whether MariaDB rebuilds the table for it. */
    private static final Map<String, Boolean> REBUILDS = Map.of(
            "ALTER TABLE instant_column ADD COLUMN c int", false,
            "CREATE INDEX plain_index_n ON plain_index (n)", false,
            "ALTER TABLE modify_type MODIFY n bigint", true,
            "ALTER TABLE forced ENGINE=InnoDB", true,
            "ALTER TABLE dropped DROP COLUMN n", false);

    @Test
    void measuresRebuildsByTablespaceId(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        StringBuilder baseline = new StringBuilder();
        for (String table : List.of("instant_column", "plain_index", "modify_type", "forced", "dropped", "two_steps",
                "multi_a", "multi_b")) {
            baseline.append("CREATE TABLE ").append(table).append(" (id int PRIMARY KEY, n int);\n")
                    .append("INSERT INTO ").append(table).append(" SELECT seq, seq FROM seq_1_to_2000;\n");
        }
        Files.writeString(migrations.resolve("V1__baseline.sql"), baseline);
        List<String> statements = List.copyOf(REBUILDS.keySet());
        for (int i = 0; i < statements.size(); i++) {
            Files.writeString(migrations.resolve("V" + (i + 2) + "__m" + i + ".sql"), statements.get(i) + ";\n");
        }
        Files.writeString(migrations.resolve("V50__two_steps.sql"),
                "ALTER TABLE two_steps ADD COLUMN c int;\nUPDATE two_steps SET c = 1;\n");
        Files.writeString(migrations.resolve("V50_1__several_tables.sql"), "ALTER TABLE multi_a MODIFY n bigint;\n"
                + "ALTER TABLE multi_b ADD COLUMN c int;\nALTER TABLE multi_a ADD INDEX multi_a_n (n);\n");
        Files.writeString(migrations.resolve("V51__fails.sql"),
                "ALTER TABLE two_steps ADD COLUMN d int;\nALTER TABLE missing_table ADD COLUMN d int;\n");

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).engine("mariadb")
                .shadow("container").engineVersion("10.11").baseline("1").failOn("none").load().run(event -> { });

        assertThat(result.migrations()).hasSize(statements.size() + 3);
        for (MigrationResult migration : result.migrations().subList(0, statements.size())) {
            StatementResult statement = migration.statements().get(0);
            assertThat(migration.statements()).hasSize(1);
            String table = statement.sql().replaceAll("^ALTER TABLE (\\w+).*|^CREATE INDEX \\w+ ON (\\w+).*", "$1$2");
            assertThat(statement.rewrites()).as(statement.sql())
                    .isEqualTo(REBUILDS.get(statement.sql()) ? List.of(table) : List.of());
            assertThat(result.findings().stream().anyMatch(f -> f.rule() == Rule.TABLE_REWRITE
                    && migration.version().equals(f.migration()))).isEqualTo(REBUILDS.get(statement.sql()));
            // Dropped columns are measured from the catalog; int(11) to bigint(20) widens and destroys nothing.
            assertThat(statement.destroyed()).isEqualTo(table.equals("dropped")
                    ? List.of(new Destroyed("dropped", "n", null, null)) : List.of());
        }

        // The ALTER commits implicitly, inside Flyway's transaction: a failing UPDATE after it would leave it applied.
        MigrationResult twoSteps = result.migrations().get(statements.size());
        assertThat(twoSteps.statements()).extracting(StatementResult::committed).containsExactly(true, false);
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.NON_ATOMIC_MIGRATION)
                .extracting(Finding::migration, Finding::statement)
                .containsExactly(tuple("50", 1), tuple("50.1", 1), tuple("51", 2));
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.NON_ATOMIC_MIGRATION).first()
                .satisfies(f -> assertThat(f.message()).contains("failed on purpose after statement 1 of 2")
                        .contains("+ column two_steps.c int(11)"));

        // The real failure: the engine's error on the second statement, and the first one's column left behind.
        // DDL commits implicitly: each statement's metadata lock is its own window, none carried to the next.
        MigrationResult several = result.migrations().get(statements.size() + 1);
        assertThat(several.windows()).extracting(Window::table, Window::mode, Window::blocks, Window::fromStatement,
                        Window::toStatement)
                .containsExactly(tuple("multi_a", "LOCK=SHARED", List.of(Access.WRITES), 1, 1),
                        tuple("multi_b", "LOCK=NONE", List.of(), 2, 2), tuple("multi_a", "LOCK=NONE", List.of(), 3, 3));
        assertThat(several.statements()).allSatisfy(s -> assertThat(s.locks())
                .allSatisfy(l -> assertThat(l.acquiredBy()).isEqualTo(s.index())));
        assertThat(twoSteps.windows()).extracting(Window::table, Window::fromStatement, Window::toStatement)
                .containsExactly(tuple("two_steps", 1, 1));

        MigrationResult failed = result.migrations().get(statements.size() + 2);
        assertThat(failed.statements()).extracting(StatementResult::error).satisfiesExactly(
                first -> assertThat(first).isNull(), second -> assertThat(second).contains("missing_table"));
        assertThat(failed.leftBehind()).containsExactly("+ column two_steps.d int(11) DEFAULT NULL");
    }

    /**
     * The algorithm trials' refusals are expected: debug lines, one per algorithm refused, and no warning. A failure
     * that is no refusal is a warning: a copy made with CREATE TABLE … LIKE has no foreign keys, so dropping one fails
     * on the copy, not on the table.
     */
    @Test
    void algorithmRefusalsAreDebugLinesAndOnlyOtherFailuresWarn(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), """
                CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (id int PRIMARY KEY, n int, parent_id int,
                    CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id));
                """);
        Files.writeString(migrations.resolve("V2__modify.sql"), "ALTER TABLE child MODIFY n bigint;\n");
        Files.writeString(migrations.resolve("V3__drop_fk.sql"), "ALTER TABLE child DROP FOREIGN KEY child_parent;\n");
        List<RehearsalEvent> events = new ArrayList<>();

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).engine("mariadb")
                .shadow("container").engineVersion("10.11").baseline("1").failOn("none").load().run(events::add);

        assertThat(result.migrations().get(0).statements().get(0).algorithm()).isEqualTo("COPY, LOCK=SHARED");
        assertThat(events).filteredOn(e -> e.level() == RehearsalEvent.Level.DEBUG).extracting(RehearsalEvent::message)
                .filteredOn(m -> m.contains("refused")).hasSize(6).allSatisfy(m -> assertThat(m).startsWith(
                        "ALTER on child: ALGORITHM="));
        assertThat(events).filteredOn(e -> e.level() == RehearsalEvent.Level.WARN).extracting(RehearsalEvent::message)
                .singleElement().satisfies(m -> assertThat(m).startsWith("Could not learn which ALTER algorithm the "
                        + "server picks for child (tried on an empty copy with ALGORITHM=INSTANT, LOCK=NONE): ")
                        .contains("child_parent"));
        assertThat(result.migrations()).extracting(MigrationResult::status)
                .containsOnly(RehearsalResult.MigrationStatus.APPLIED);
    }
}
