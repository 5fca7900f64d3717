package dev.schemarehearsal.harness.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.schemarehearsal.harness.api.Durations.human;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A column dropped and added back as a stored generated column, the script reviewers meet in real projects: in one
 * PostgreSQL transaction the rewrite runs under the drop's AccessExclusiveLock, one lock window over both statements,
 * judged once, at production size too, and that script is the first finding in every report. Outside a transaction
 * (and on MariaDB, whose DDL commits implicitly) each statement's lock is a window of its own.
 */
class LockWindowsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGS = "ALTER TABLE %1$s DROP COLUMN x;\n"
            + "ALTER TABLE %1$s ADD COLUMN x bigint GENERATED ALWAYS AS (id * 2) STORED;\n";
    private static final int ROWS = 200_000;
    /** Production's logs: 2,500 times the shadow's. */
    private static final long PRODUCTION_ROWS = 500_000_000L;
    /** Low enough that the rewrite of {@value #ROWS} rows outlasts it on the shadow as well. */
    private static final long MAX_LOCK_MS = 50;

    @Test
    void postgresHoldsTheDropsLockThroughTheRewriteAndRanksThatScriptFirst(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), """
                CREATE TABLE logs (id int PRIMARY KEY, x int, message text);
                INSERT INTO logs SELECT g, g, 'entry ' || g FROM generate_series(1, %1$d) g;
                CREATE TABLE logs_apart (id int PRIMARY KEY, x int, message text);
                INSERT INTO logs_apart SELECT g, g, 'entry ' || g FROM generate_series(1, %1$d) g;
                CREATE TABLE small (id int PRIMARY KEY, n int);
                INSERT INTO small SELECT g, g FROM generate_series(1, 100) g;
                """.formatted(ROWS));
        // The quick finding first in the folder: the ranking, not the order of the scripts, puts logs first.
        Files.writeString(migrations.resolve("V2__small_index.sql"), "CREATE INDEX small_n ON small (n);\n");
        Files.writeString(migrations.resolve("V3__logs_generated.sql"), LOGS.formatted("logs"));
        Path apart = migrations.resolve("V4__logs_apart_generated.sql");
        Files.writeString(apart, LOGS.formatted("logs_apart"));
        Files.writeString(Path.of(apart + ".conf"), "executeInTransaction=false\n");
        Path stats = project.resolve("src/rehearsal/stats.json");
        Files.createDirectories(stats.getParent());
        Files.writeString(stats, """
                {"tables": {"logs": {"rows": %d}, "logs_apart": {"rows": %d}, "small": {"rows": 100}}}
                """.formatted(PRODUCTION_ROWS, ROWS));

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15")
                .baseline("1").failOn("none").maxLockMs(MAX_LOCK_MS).load().run(event -> { });

        MigrationResult logs = StatementTracingIT.migration(result, "logs generated");
        StatementResult drop = logs.statements().get(0);
        StatementResult add = logs.statements().get(1);
        // Statement 2 lists its own lock and the drop's, still held: it rewrites the table while reads and writes wait.
        assertThat(add.locks()).extracting(Lock::table, Lock::mode, Lock::acquiredBy)
                .containsExactly(tuple("logs", "AccessExclusiveLock", 1), tuple("logs", "ShareLock", 2));
        assertThat(add.rewrites()).containsExactly("logs");
        assertThat(logs.windows()).extracting(Window::table, Window::mode, Window::blocks, Window::fromStatement,
                        Window::toStatement)
                .containsExactly(tuple("logs", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 1, 2));
        Window window = logs.windows().get(0);
        assertThat(window.heldMs()).isGreaterThanOrEqualTo(drop.durationMs() + add.durationMs())
                .isGreaterThan(MAX_LOCK_MS);
        // At production size: the statements' own estimates under the lock, plus the time between them, which
        // does not grow with the data.
        long production = window.estimatedProductionMs();
        assertThat(production).isGreaterThanOrEqualTo(drop.estimatedProductionMs() + add.estimatedProductionMs())
                .isLessThanOrEqualTo(drop.estimatedProductionMs() + add.estimatedProductionMs() + window.heldMs());
        System.out.printf("PostgreSQL logs window: statements 1–2, %s held on the shadow, about %s at production size%n",
                human(window.heldMs()), human(production));

        // One finding per window and rule, on the statement that took the lock, none on statement 2; each says both
        // the shadow's and production's figure.
        List<Finding> lockFindings = result.findings().stream().filter(f -> logs.version().equals(f.migration())
                && (f.rule() == Rule.BLOCKING_LOCK || f.rule() == Rule.LONG_LOCK_AT_SCALE)).toList();
        assertThat(lockFindings).extracting(Finding::rule, Finding::statement, Finding::table)
                .containsExactlyInAnyOrder(tuple(Rule.BLOCKING_LOCK, 1, "logs"), tuple(Rule.LONG_LOCK_AT_SCALE, 1, "logs"));
        assertThat(lockFindings).allSatisfy(f -> {
            assertThat(f.message()).contains("statements 1–2").contains(human(window.heldMs()))
                    .contains("about " + human(production)).contains("500,000,000 rows");
            assertThat(f.impactMs()).isEqualTo(production);
        });

        // Outside a transaction each statement's lock ends with it: a window each, statement 2 under its own only.
        MigrationResult logsApart = StatementTracingIT.migration(result, "logs apart generated");
        assertThat(logsApart.statements()).extracting(StatementResult::committed).containsExactly(true, true);
        assertThat(logsApart.windows()).extracting(Window::table, Window::mode, Window::fromStatement, Window::toStatement)
                .containsExactly(tuple("logs_apart", "AccessExclusiveLock", 1, 1),
                        tuple("logs_apart", "AccessExclusiveLock", 2, 2));
        assertThat(logsApart.statements().get(1).locks()).extracting(Lock::acquiredBy).containsOnly(2);

        // The costliest script first (its rewrite and lock findings carry the window's impact alike), in report.json, summary.md and report.html; durations in ms in JSON, in human
        // units where a person reads them.
        Finding first = result.findings().get(0);
        assertThat(first.migration()).isEqualTo(logs.version());
        assertThat(first.impactMs()).isEqualTo(production);
        assertThat(result.findings()).filteredOn(f -> !logs.version().equals(f.migration()))
                .allSatisfy(f -> assertThat(f.impactMs()).isLessThan(production));
        assertThat(result.findings()).filteredOn(f -> f.migration() != null && f.migration().equals("2"))
                .extracting(Finding::rule).contains(Rule.INDEX_NOT_CONCURRENT);

        Path reports = project.resolve("target/schema-rehearsal");
        JsonNode report = JSON.readTree(reports.resolve("report.json").toFile());
        JsonNode json = report.at("/findings/0");
        assertThat(json.get("migration").asText()).isEqualTo(logs.version());
        assertThat(json.get("impactMs").asLong()).isEqualTo(production);
        List<String> ranked = new ArrayList<>();
        report.get("findings").forEach(f -> ranked.add(f.get("rule").asText() + " " + f.get("migration").asText()));
        assertThat(ranked).containsExactlyElementsOf(result.findings().stream().map(f -> f.rule().id() + " " + f.migration())
                .toList());
        JsonNode jsonWindow = report.at("/migrations/1/windows/0");
        assertThat(List.of("table", "mode", "blocks", "fromStatement", "toStatement", "heldMs", "estimatedProductionMs"))
                .allSatisfy(field -> assertThat(jsonWindow.has(field)).as(field).isTrue());
        assertThat(jsonWindow.get("estimatedProductionMs").asLong()).isEqualTo(production);
        assertThat(report.at("/migrations/1/statements/1/locks")).anySatisfy(lock -> {
            assertThat(lock.get("mode").asText()).isEqualTo("AccessExclusiveLock");
            assertThat(lock.get("acquiredBy").asInt()).isEqualTo(1);
        });

        String summary = Files.readString(reports.resolve("summary.md"));
        String firstRow = summary.lines().filter(l -> l.startsWith("| error |") || l.startsWith("| warning |"))
                .findFirst().orElseThrow();
        assertThat(firstRow).contains("| V3 \\#").contains(human(production));
        String html = Files.readString(reports.resolve("report.html"));
        String top = html.substring(html.indexOf("id=\"top-findings\""));
        assertThat(top.substring(top.indexOf("<li"), top.indexOf("</li>"))).contains("V3 #").contains(human(production));
    }

    @Test
    void mariaDbCommitsEachAlterSoEachStatementIsAWindowOfItsOwn(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), """
                CREATE TABLE logs (id int PRIMARY KEY, x int, message text);
                INSERT INTO logs SELECT seq, seq, concat('entry ', seq) FROM seq_1_to_20000;
                """);
        Files.writeString(migrations.resolve("V2__logs_generated.sql"), LOGS.formatted("logs"));

        // Every lock that blocks anything too long, so each blocking window makes its finding.
        RehearsalResult result = Rehearsal.configure().projectDirectory(project).engine("mariadb").shadow("container")
                .engineVersion("10.11").baseline("1").failOn("none").maxLockMs(1).load().run(event -> { });

        MigrationResult logs = StatementTracingIT.migration(result, "logs generated");
        assertThat(logs.statements()).extracting(StatementResult::committed).containsExactly(true, true);
        // Each ALTER's metadata lock ends with its implicit commit: statement 2 holds nothing of statement 1's.
        assertThat(logs.statements()).allSatisfy(s -> assertThat(s.locks())
                .allSatisfy(l -> assertThat(l.acquiredBy()).isEqualTo(s.index())));
        assertThat(logs.windows()).extracting(Window::table, Window::fromStatement, Window::toStatement)
                .containsExactly(tuple("logs", 1, 1), tuple("logs", 2, 2));
        System.out.printf("MariaDB logs windows: %s%n", logs.windows().stream()
                .map(w -> Tuple.tuple(w.fromStatement(), w.mode(), w.blocks(), w.heldMs()).toString()).toList());
        // Adding a stored generated column copies the table while writes wait: that window's finding, on its
        // statement; at most one for any window (a probe stall may add one to the drop's).
        assertThat(logs.windows().get(1).blocks()).contains(Access.WRITES);
        List<Integer> blockingLocks = result.findings().stream().filter(f -> f.rule() == Rule.BLOCKING_LOCK)
                .map(Finding::statement).toList();
        assertThat(blockingLocks).contains(2).doesNotHaveDuplicates().isSubsetOf(1, 2);
    }
}
