package dev.schemarehearsal.harness.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Durations;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of single-statement migrations, each on its own pre-existing table, rehearsed on embedded PostgreSQL;
 * the traced locks, rewrites and scans must agree with what the engine does. The expected verdicts were measured
 * with psql on postgres:15 (src/test/resources/tracing/verify-on-postgres.sql: each statement between BEGIN and
 * ROLLBACK, reading its own session's pg_locks, relfilenode and pg_stat_xact_user_tables before and after) and
 * match PostgreSQL's documented lock levels.
 */
class StatementTracingIT {
    private static final Set<Access> BOTH = Set.of(Access.READS, Access.WRITES);
    private static final Set<Access> WRITES = Set.of(Access.WRITES);
    private static final Set<Access> NEITHER = Set.of();

    /** One corpus entry: its table, the lock mode it must take there, what that blocks, rewrite, scan, findings. */
    record Case(String table, String sql, boolean transactional, String mode, Set<Access> blocks, boolean rewrite,
                boolean scan, Rule... findings) { }

    static final List<Case> CORPUS = List.of(
            new Case("add_int", "ALTER TABLE add_int ADD COLUMN c int", true, "AccessExclusiveLock", BOTH, false, false,
                    Rule.MISSING_LOCK_TIMEOUT),
            new Case("add_volatile", "ALTER TABLE add_volatile ADD COLUMN c timestamptz DEFAULT clock_timestamp()", true,
                    "AccessExclusiveLock", BOTH, true, true, Rule.TABLE_REWRITE, Rule.VOLATILE_DEFAULT,
                    Rule.MISSING_LOCK_TIMEOUT),
            new Case("add_constant", "ALTER TABLE add_constant ADD COLUMN c int DEFAULT 0", true, "AccessExclusiveLock",
                    BOTH, false, false, Rule.MISSING_LOCK_TIMEOUT),
            new Case("plain_index", "CREATE INDEX plain_index_n ON plain_index (n)", true, "ShareLock", WRITES, false, true,
                    Rule.INDEX_NOT_CONCURRENT, Rule.MISSING_LOCK_TIMEOUT),
            // Big enough that the index build outlasts a few polls of the lock watcher.
            new Case("concurrent_index", "CREATE INDEX CONCURRENTLY concurrent_index_n ON concurrent_index (n)", false,
                    "ShareUpdateExclusiveLock", NEITHER, false, false),
            new Case("set_not_null", "ALTER TABLE set_not_null ALTER COLUMN n SET NOT NULL", true, "AccessExclusiveLock",
                    BOTH, false, true, Rule.NOT_NULL_SCAN, Rule.MISSING_LOCK_TIMEOUT),
            new Case("widen_type", "ALTER TABLE widen_type ALTER COLUMN n TYPE bigint", true, "AccessExclusiveLock",
                    BOTH, true, true, Rule.TABLE_REWRITE, Rule.MISSING_LOCK_TIMEOUT),
            new Case("foreign_key", "ALTER TABLE foreign_key ADD CONSTRAINT foreign_key_fk FOREIGN KEY (n) REFERENCES parent (id)",
                    true, "ShareRowExclusiveLock", WRITES, false, true, Rule.CONSTRAINT_VALIDATION_SCAN,
                    Rule.MISSING_LOCK_TIMEOUT),
            new Case("foreign_key_not_valid", "ALTER TABLE foreign_key_not_valid ADD CONSTRAINT foreign_key_not_valid_fk "
                    + "FOREIGN KEY (n) REFERENCES parent (id) NOT VALID", true, "ShareRowExclusiveLock", WRITES, false, false,
                    Rule.MISSING_LOCK_TIMEOUT),
            new Case("vacuum_full", "VACUUM FULL vacuum_full", false, null, BOTH, true, false, Rule.TABLE_REWRITE,
                    Rule.MISSING_LOCK_TIMEOUT),
            new Case("vacuum", "VACUUM vacuum", false, null, NEITHER, false, false),
            new Case("drop_column", "ALTER TABLE drop_column DROP COLUMN n", true, "AccessExclusiveLock", BOTH, false,
                    false, Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT),
            new Case("narrow_type", "ALTER TABLE narrow_type ALTER COLUMN n TYPE smallint", true, "AccessExclusiveLock",
                    BOTH, true, true, Rule.TABLE_REWRITE, Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT),
            // Once dropped, the table's lock is known by its oid: it is the dropped table's.
            new Case("drop_table", "DROP TABLE drop_table", true, "AccessExclusiveLock", BOTH, false, false,
                    Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT));

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void tracesEachStatementAsTheEngineMeasuresIt(String major, @TempDir Path project) throws Exception {
        RehearsalResult result = rehearse(project, major, event -> { });

        SoftAssertions soft = new SoftAssertions();
        int agreed = 0;
        for (int i = 0; i < CORPUS.size(); i++) {
            Case expected = CORPUS.get(i);
            MigrationResult migration = result.migrations().get(i);
            soft.assertThat(migration.statements()).as(expected.table).hasSize(1);
            if (migration.statements().size() != 1) {
                continue;
            }
            StatementResult statement = migration.statements().get(0);
            List<Lock> locks = statement.locks().stream().filter(l -> l.table().equals(expected.table)).toList();
            Set<Access> blocks = locks.stream().flatMap(l -> l.blocks().stream()).collect(Collectors.toSet());
            boolean agrees = statement.sql().equals(expected.sql)
                    && (expected.mode == null || locks.stream().anyMatch(l -> l.mode().equals(expected.mode)))
                    && (expected.mode == null ? blocks.stream().allMatch(expected.blocks::contains) : blocks.equals(expected.blocks))
                    && statement.rewrites().contains(expected.table) == expected.rewrite
                    && (!expected.transactional || statement.scans().contains(expected.table) == expected.scan)
                    // Probe stalls depend on the machine's load; blocking-lock is asserted on a lock held for seconds.
                    && result.findings().stream().filter(f -> migration.version().equals(f.migration()))
                    .map(Finding::rule).filter(r -> r != Rule.BLOCKING_LOCK).collect(Collectors.toSet())
                    .equals(Set.of(expected.findings));
            soft.assertThat(agrees).as("%s: %s %s", expected.table, statement, result.findings()).isTrue();
            agreed += agrees ? 1 : 0;
        }
        System.out.printf("PostgreSQL %s: %d of %d corpus statements agree%n", major, agreed, CORPUS.size());
        soft.assertAll();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15"})
    void keepsFlywaysStatementsLinesTransactionsAndFailures(String major, @TempDir Path project) throws Exception {
        List<RehearsalEvent> events = new ArrayList<>();
        RehearsalResult result = rehearse(project, major, events::add);

        MigrationResult two = migration(result, "two");
        assertThat(two.statements()).extracting(StatementResult::index, StatementResult::line, StatementResult::sql)
                // Flyway sends a statement's leading comment with it: the line is that of its code, as lint says.
                .containsExactly(Tuple.tuple(1, 2,
                                "-- two statements, one transaction\nUPDATE two SET n = n + 1 WHERE id = 1"),
                        Tuple.tuple(2, 4, "ALTER TABLE two\n    ADD COLUMN z int"));
        Lock rowLock = two.statements().get(0).locks().get(0);
        assertThat(rowLock.mode()).isEqualTo("RowExclusiveLock");
        assertThat(rowLock.blocks()).isEmpty();
        // Taken by the first statement, held until the migration commits: at least as long as both statements.
        assertThat(rowLock.heldMs()).isGreaterThanOrEqualTo(two.statements().get(1).durationMs());
        // Statement 2 runs under statement 1's lock as well as its own: both are listed, each with its taker.
        assertThat(two.statements().get(1).locks()).extracting(Lock::table, Lock::mode, Lock::acquiredBy)
                .containsExactly(Tuple.tuple("two", "AccessExclusiveLock", 2), Tuple.tuple("two", "RowExclusiveLock", 1));
        assertThat(two.windows()).extracting(Window::table, Window::mode, Window::fromStatement, Window::toStatement)
                .containsExactly(Tuple.tuple("two", "AccessExclusiveLock", 2, 2));

        // Dropping a column and adding it back as a stored generated column, in one transaction: the rewrite runs
        // under the first statement's AccessExclusiveLock, one window over both.
        MigrationResult logs = migration(result, "logs generated");
        assertThat(logs.statements().get(1).locks()).extracting(Lock::table, Lock::mode, Lock::acquiredBy)
                .contains(Tuple.tuple("logs", "AccessExclusiveLock", 1));
        assertThat(logs.statements().get(1).rewrites()).containsExactly("logs");
        assertThat(logs.windows()).extracting(Window::table, Window::mode, Window::blocks, Window::fromStatement,
                        Window::toStatement)
                .containsExactly(Tuple.tuple("logs", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 1, 2));
        assertThat(logs.windows().get(0).heldMs()).isGreaterThanOrEqualTo(logs.statements().get(0).durationMs()
                + logs.statements().get(1).durationMs());
        assertThat(result.findings()).filteredOn(f -> f.migration().equals(logs.version()))
                .filteredOn(f -> f.rule() == Rule.TABLE_REWRITE).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("holding AccessExclusiveLock").contains("taken by statement 1"));

        // Locks on several tables in one transaction: a window each, from its taker to the commit.
        MigrationResult several = migration(result, "several tables");
        assertThat(several.windows()).extracting(Window::table, Window::mode, Window::fromStatement, Window::toStatement)
                .containsExactly(Tuple.tuple("multi_a", "AccessExclusiveLock", 1, 3),
                        Tuple.tuple("multi_b", "ShareLock", 2, 3));
        assertThat(several.statements().get(2).locks()).extracting(Lock::table, Lock::mode, Lock::acquiredBy)
                .containsExactly(Tuple.tuple("multi_a", "AccessExclusiveLock", 1),
                        Tuple.tuple("multi_a", "RowExclusiveLock", 3), Tuple.tuple("multi_b", "ShareLock", 2));

        MigrationResult java = migration(result, "Java statements");
        assertThat(java.statements()).extracting(StatementResult::index, StatementResult::line, StatementResult::sql)
                .containsExactly(Tuple.tuple(1, null, "ALTER TABLE java_statements ADD COLUMN c int"),
                        Tuple.tuple(2, null, "UPDATE java_statements SET c = ? WHERE id = ?"));
        assertThat(java.statements().get(0).locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(Tuple.tuple("java_statements", "AccessExclusiveLock"));

        // A script of comments only applies as a no-op, but not silently.
        MigrationResult empty = migration(result, "nothing yet");
        assertThat(empty.status()).isEqualTo(MigrationStatus.APPLIED);
        assertThat(empty.statements()).isEmpty();
        assertThat(events).filteredOn(e -> e.level() == RehearsalEvent.Level.WARN).extracting(RehearsalEvent::message)
                .contains("V50_2__nothing_yet.sql is empty: no statement, only comments or blank lines: nothing to "
                        + "rehearse; Flyway applies it as a no-op and records version 50.2 as applied. Fix: write its "
                        + "statements, or remove the file if it is not meant as a migration")
                .noneMatch(m -> m.contains("is empty") && !m.startsWith("V50_2__"));

        MigrationResult slow = migration(result, "slow lock");
        StatementResult alter = slow.statements().get(1);
        assertThat(alter.lockTimeoutMs()).isEqualTo(2000);
        Lock held = alter.locks().get(0);
        assertThat(held.heldMs()).isGreaterThanOrEqualTo(1200);
        // The probes that ran into the lock waited until the migration committed, after the 1.2 s sleep, which ran
        // under the ALTER's lock.
        assertThat(slow.statements().get(2).locks()).extracting(Lock::mode, Lock::acquiredBy)
                .containsExactly(Tuple.tuple("AccessExclusiveLock", 2));
        assertThat(slow.statements().get(2).probeStallMs()).isGreaterThan(500);
        Window window = slow.windows().get(0);
        assertThat(window).extracting(Window::table, Window::fromStatement, Window::toStatement)
                .containsExactly("two", 2, 3);
        assertThat(window.probeStallMs()).isGreaterThan(500);
        // One lock, one finding: the long hold and the stall it caused, on the statement that took it; with a lock
        // timeout set, no missing-lock-timeout.
        assertThat(result.findings()).filteredOn(f -> f.migration().equals(slow.version())).singleElement()
                .satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(Rule.BLOCKING_LOCK);
                    assertThat(f.statement()).isEqualTo(2);
                    assertThat(f.table()).isEqualTo("two");
                    assertThat(f.message()).contains("statements 2–3")
                            .contains("AccessExclusiveLock on two for " + Durations.human(window.heldMs()))
                            .contains("stalled the probe workload");
                });

        // Outside a transaction each statement commits on its own: a failure of the second leaves the first, and
        // each statement's lock is a window of its own.
        MigrationResult concurrent = migration(result, "two concurrent");
        assertThat(concurrent.statements()).extracting(StatementResult::committed).containsExactly(true, true);
        assertThat(concurrent.windows()).extracting(Window::table, Window::mode, Window::fromStatement, Window::toStatement)
                .containsExactly(Tuple.tuple("two", "ShareUpdateExclusiveLock", 1, 1),
                        Tuple.tuple("two", "ShareUpdateExclusiveLock", 2, 2));
        assertThat(concurrent.statements().get(1).locks()).extracting(Lock::acquiredBy).containsOnly(2);
        assertThat(two.statements()).extracting(StatementResult::committed).containsExactly(false, false);
        // Measured by failing each multi-statement migration after each statement on a scratch copy: the transactional
        // ones roll back whole; the index built concurrently stays.
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.NON_ATOMIC_MIGRATION)
                .extracting(Finding::migration, Finding::statement).containsExactly(Tuple.tuple(concurrent.version(), 1));
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.NON_ATOMIC_MIGRATION).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("failed on purpose after statement 1 of 2")
                        .contains("+ index CREATE INDEX two_n ON public.two USING btree (n)"));

        MigrationResult failed = migration(result, "fails");
        assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(failed.statements()).hasSize(2);
        assertThat(failed.statements().get(0).error()).isNull();
        assertThat(failed.statements().get(0).locks()).extracting(Lock::mode).containsExactly("AccessExclusiveLock");
        assertThat(failed.statements().get(1).error()).contains("missing_table");
        assertThat(result.findings()).anyMatch(f -> f.rule() == Rule.MIGRATION_FAILED && f.migration().equals(failed.version()));
        // Transactional DDL: the failure took the first statement's column back with it.
        assertThat(failed.leftBehind()).isEmpty();

        JsonNode json = new ObjectMapper().readTree(project.resolve("target/schema-rehearsal/report.json").toFile());
        JsonNode statement = json.at("/migrations/0/statements/0");
        assertThat(statement.at("/index").asInt()).isEqualTo(1);
        assertThat(statement.at("/sql").asText()).isEqualTo(CORPUS.get(0).sql);
        assertThat(statement.at("/locks/0/table").asText()).isEqualTo("add_int");
        assertThat(statement.at("/locks/0/blocks").toString()).isEqualTo("[\"reads\",\"writes\"]");
        assertThat(statement.has("durationMs") && statement.has("rewrites") && statement.has("probeStallMs")
                && statement.has("estimatedProductionMs")).isTrue();
        assertThat(Files.readString(project.resolve("target/schema-rehearsal/report.html")))
                .contains("ALTER TABLE add_int ADD COLUMN c int").contains("AccessExclusiveLock");
    }

    /** Baseline V1 makes every table with rows; V2 and up are the corpus, then the migrations of the Flyway semantics test. */
    static RehearsalResult rehearse(Path project, String major, RehearsalListener listener) throws IOException {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        StringBuilder baseline = new StringBuilder("CREATE TABLE parent (id int PRIMARY KEY);\n"
                + "INSERT INTO parent SELECT g FROM generate_series(1, 2000) g;\n");
        List<String> tables = new ArrayList<>(CORPUS.stream().map(Case::table).toList());
        tables.addAll(List.of("two", "java_statements", "logs", "multi_a", "multi_b"));
        for (String table : tables) {
            int rows = table.equals("concurrent_index") || table.startsWith("vacuum") ? 200_000 : 2000;
            baseline.append("CREATE TABLE ").append(table).append(" (id int PRIMARY KEY, n int);\n")
                    .append("INSERT INTO ").append(table).append(" SELECT g, g % 2000 + 1 FROM generate_series(1, ")
                    .append(rows).append(") g;\n");
        }
        baseline.append("UPDATE vacuum SET n = n + 1;\n");
        Files.writeString(migrations.resolve("V1__baseline.sql"), baseline);
        int version = 2;
        for (Case c : CORPUS) {
            Path file = migrations.resolve("V" + version++ + "__" + c.table + ".sql");
            Files.writeString(file, c.sql + ";\n");
            if (!c.transactional) {
                Files.writeString(Path.of(file + ".conf"), "executeInTransaction=false\n");
            }
        }
        // After the corpus: two statements (V50), a Java migration (V50_1, javamigrations), an empty script (V50_2),
        // a long lock, a failure.
        version = 50;
        Files.writeString(migrations.resolve("V" + version++ + "__two.sql"),
                "-- two statements, one transaction\nUPDATE two SET n = n + 1 WHERE id = 1;\n\nALTER TABLE two\n    ADD COLUMN z int;\n");
        Files.writeString(migrations.resolve("V50_2__nothing_yet.sql"), "-- the statements come later\n\n");
        Files.writeString(migrations.resolve("V" + version++ + "__slow_lock.sql"),
                "SET lock_timeout = '2s';\nALTER TABLE two ADD COLUMN w int;\nSELECT pg_sleep(1.2);\n");
        Path concurrent = migrations.resolve("V" + version++ + "__two_concurrent.sql");
        Files.writeString(concurrent, "CREATE INDEX CONCURRENTLY two_n ON two (n);\nCREATE INDEX CONCURRENTLY two_id_n ON two (id, n);\n");
        Files.writeString(Path.of(concurrent + ".conf"), "executeInTransaction=false\n");
        Files.writeString(migrations.resolve("V52_1__logs_generated.sql"), "ALTER TABLE logs DROP COLUMN n;\n"
                + "ALTER TABLE logs ADD COLUMN n bigint GENERATED ALWAYS AS (id * 2) STORED;\n");
        Files.writeString(migrations.resolve("V52_2__several_tables.sql"), "ALTER TABLE multi_a ADD COLUMN c int;\n"
                + "CREATE INDEX multi_b_n ON multi_b (n);\nUPDATE multi_a SET c = 1 WHERE id = 1;\n");
        Files.writeString(migrations.resolve("V" + version + "__fails.sql"),
                "ALTER TABLE two ADD COLUMN y int;\nALTER TABLE missing_table ADD COLUMN y int;\n");
        return Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion(major).baseline("1")
                .locations(List.of("filesystem:src/main/resources/db/migration",
                        "classpath:dev/schemarehearsal/harness/migrate/javamigrations"))
                .failOn("none").load().run(listener);
    }

    static MigrationResult migration(RehearsalResult result, String description) {
        return result.migrations().stream().filter(m -> m.description().equals(description)).findFirst().orElseThrow();
    }
}
