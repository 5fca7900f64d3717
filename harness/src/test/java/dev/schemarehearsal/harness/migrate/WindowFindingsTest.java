package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** blocking-lock and long-lock-at-scale are decided once per lock window, with both figures. */
class WindowFindingsTest {
    private static final List<Access> BOTH = List.of(Access.READS, Access.WRITES);
    private static final Dialect POSTGRES = Dialect.of(Engine.POSTGRESQL);
    private static final Statistics STATS = new Statistics("stats.json",
            List.of(new TableRows("logs", 2_000_000, 20_000), new TableRows("orders", 4_000_000, 40_000)), List.of());
    private final WindowFindings findings = new WindowFindings(POSTGRES, 1000, 500);

    private static StatementResult statement(int index, String sql, long durationMs, List<String> rewrites, Lock... locks) {
        return new StatementResult(index, index, sql, durationMs, List.of(locks), rewrites, rewrites, List.of(), 0, null,
                2000L, false, null);
    }

    /** The migration as the rehearsal leaves it: windows from its statements' locks, estimated at production size. */
    private static MigrationResult migration(long stallMs, StatementResult... statements) {
        MigrationResult traced = new MigrationResult("7", "logs", "V7__logs.sql", MigrationStatus.APPLIED, 0, null,
                List.of(statements), List.of(), LockWindows.of(List.of(statements)).stream()
                .map(w -> w.withStall(stallMs)).toList());
        return ProductionEstimates.apply(POSTGRES, List.of(traced), List.of(), new ProductionEstimates.Inputs(null,
                List.of(), null, BackfillRuns.NONE, STATS, null, 1000, 0), RehearsalListener.NONE).migrations().get(0);
    }

    @Test
    void aLockHeldOverSeveralStatementsIsOneFindingPerRuleSayingBothFigures() {
        Lock dropped = new Lock("logs", "AccessExclusiveLock", BOTH, 1_300, 1);
        MigrationResult migration = migration(0, statement(1, "ALTER TABLE logs DROP COLUMN x", 2, List.of(), dropped),
                statement(2, "ALTER TABLE logs ADD COLUMN x int GENERATED ALWAYS AS (n * 2) STORED", 1_250,
                        List.of("logs"), dropped, new Lock("logs", "ShareLock", List.of(Access.WRITES), 1_250, 2)));

        List<Finding> found = findings.of(List.of(migration), STATS);

        // Statement 2's rewrite at 100 times the rows: 125 s, plus statement 1 and the 48 ms around them.
        long production = 2 + 125_000 + 48;
        assertThat(migration.windows()).extracting(Window::estimatedProductionMs).containsExactly(production);
        assertThat(found).extracting(Finding::rule, Finding::statement, Finding::table, Finding::impactMs)
                .containsExactly(tuple(Rule.BLOCKING_LOCK, 1, "logs", production),
                        tuple(Rule.LONG_LOCK_AT_SCALE, 1, "logs", production));
        assertThat(found.get(0).message()).isEqualTo("V7__logs.sql statements 1–2 (line 1) held AccessExclusiveLock on "
                + "logs for 1.3 s, blocking reads and writes (limit 1 s); at production size (logs: 2,000,000 rows "
                + "against 20,000 on the shadow) about 2 min 5 s. Safe alternative: "
                + POSTGRES.rewriteAlternative(Dialect.Rewrite.STORED_GENERATED_COLUMN, false));
        assertThat(found.get(1).message()).startsWith("V7__logs.sql statements 1–2 (line 1) hold AccessExclusiveLock on "
                + "logs, blocking reads and writes, for 1.3 s on the shadow; at production size (logs: 2,000,000 rows "
                + "against 20,000 on the shadow) about 2 min 5 s, above maxLockMs 1 s. Safe alternative: ");
    }

    @Test
    void aLockOnlySizeMakesTooLongIsLongLockAtScaleAlone() {
        Lock exclusive = new Lock("orders", "AccessExclusiveLock", BOTH, 25, 1);
        MigrationResult migration = migration(0, statement(1, "ALTER TABLE orders ALTER COLUMN total TYPE bigint", 20,
                List.of("orders"), exclusive));

        List<Finding> found = findings.of(List.of(migration), STATS);

        assertThat(found).extracting(Finding::rule).containsExactly(Rule.LONG_LOCK_AT_SCALE);
        assertThat(found.get(0).message()).startsWith("V7__logs.sql statement 1 (line 1) holds AccessExclusiveLock on orders")
                .contains("for 25 ms on the shadow")
                .contains("orders: 4,000,000 rows against 40,000 on the shadow").contains("about 2 s, above maxLockMs 1 s")
                .contains("add a column of the new type");
    }

    @Test
    void aStallOnTheWindowIsInItsBlockingLockFinding() {
        Lock exclusive = new Lock("orders", "AccessExclusiveLock", BOTH, 300, 1);
        List<StatementResult> statements = new ArrayList<>(List.of(statement(1, "ALTER TABLE orders ADD COLUMN c int", 2,
                List.of(), exclusive)));
        // Thirty quick statements under the same lock: still one finding.
        for (int i = 2; i <= 31; i++) {
            statements.add(statement(i, "DROP INDEX IF EXISTS i" + i, 0, List.of(), exclusive));
        }
        MigrationResult migration = migration(2_900, statements.toArray(StatementResult[]::new));

        List<Finding> found = findings.of(List.of(migration), STATS);

        assertThat(found).extracting(Finding::rule, Finding::statement).containsExactly(tuple(Rule.BLOCKING_LOCK, 1));
        assertThat(found.get(0).message()).startsWith("V7__logs.sql statements 1–31 (line 1) held AccessExclusiveLock on "
                + "orders for 300 ms, blocking reads and writes, and stalled the probe workload for 2.9 s (limit 500 ms); "
                + "at production size about 300 ms. Safe alternative: ");
        assertThat(found.get(0).impactMs()).isEqualTo(2_900);
    }

    @Test
    void locksThatStayShortOrBlockNothingAreFine() {
        MigrationResult concurrently = migration(0, statement(1, "CREATE INDEX CONCURRENTLY i ON orders (c)", 20,
                List.of(), new Lock("orders", "ShareUpdateExclusiveLock", List.of(), 25_000, 1)));
        MigrationResult shortLock = migration(0, statement(1, "ALTER TABLE orders ADD COLUMN c int", 5, List.of(),
                new Lock("orders", "AccessExclusiveLock", BOTH, 5, 1)));
        assertThat(findings.of(List.of(concurrently, shortLock), STATS)).isEmpty();
    }
}
