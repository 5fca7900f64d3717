package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BatchMs;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
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

/** The estimates without a copy to calibrate on: which statements are estimated how, and the lock windows they make long. */
class ProductionEstimatesTest {
    private static final Dialect POSTGRES = Dialect.of(Engine.POSTGRESQL);
    private static final Statistics STATS = new Statistics("stats.json",
            List.of(new TableRows("public.orders", 4_000_000, 40_000), new TableRows("customers", 10_000, 10_000)), List.of());
    private static final Lock EXCLUSIVE = new Lock("orders", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 25);

    private static StatementResult statement(long durationMs, List<String> rewrites, List<String> scans, Lock... locks) {
        return statement("sql", durationMs, rewrites, scans, locks);
    }

    private static StatementResult statement(String sql, long durationMs, List<String> rewrites, List<String> scans,
                                             Lock... locks) {
        return new StatementResult(1, 1, sql, durationMs, List.of(locks), rewrites, scans, List.of(), 0, null, 0L, false, null);
    }

    private static StatementResult statement(String sql, List<String> rewrites, Lock lock) {
        return new StatementResult(1, 1, sql, 20, List.of(lock), rewrites, List.of("orders"), List.of(), 0, null, 0L,
                false, null);
    }

    private static MigrationResult migration(StatementResult statement) {
        return new MigrationResult("4", "d", "V4__d.sql", MigrationStatus.APPLIED, statement.durationMs(), null,
                List.of(statement)).withWindows(LockWindows.of(List.of(statement)));
    }

    private static ProductionEstimates.Outcome estimate(Dialect dialect, StatementResult statement, Statistics statistics,
                                                        List<RehearsalEvent> events) {
        return ProductionEstimates.apply(dialect, List.of(migration(statement)), List.of(), new ProductionEstimates.Inputs(
                null, List.of(), null, BackfillRuns.NONE, statistics, null, 1000, 0), events::add);
    }

    /** The lock windows' findings of the estimated migration, with maxLockMs and maxStallMs of 1 s. */
    private static List<Finding> findings(Dialect dialect, ProductionEstimates.Outcome outcome) {
        return new WindowFindings(dialect, 1000, 1000).of(outcome.migrations(), STATS);
    }

    private static StatementResult estimated(StatementResult statement) {
        return estimate(POSTGRES, statement, STATS, new ArrayList<>()).migrations().get(0).statements().get(0);
    }

    @Test
    void withoutACopyWorkThroughATableIsScaledByItsRowRatioAndSaysSo() {
        StatementResult rewrite = estimated(statement(20, List.of("orders"), List.of(), EXCLUSIVE));
        assertThat(rewrite.estimatedProductionMs()).isEqualTo(2_000);
        assertThat(rewrite.estimatedProductionRange().low()).isEqualTo(20);
        assertThat(rewrite.estimatedProductionRange().high()).isEqualTo(4_000);
        assertThat(rewrite.estimateBasis()).isEqualTo("not calibrated (no copy of the shadow): 20 ms on the shadow × 100 "
                + "(production's rows over the shadow's)");
        // The largest ratio of the tables it read.
        assertThat(estimated(statement(20, List.of(), List.of("orders", "customers"))).estimatedProductionMs()).isEqualTo(2_000);
    }

    @Test
    void workOnNoExistingTableTakesWhatItTookOnTheShadow() {
        StatementResult created = estimated(statement(3, List.of(), List.of()));
        assertThat(created.estimatedProductionMs()).isEqualTo(3);
        assertThat(created.estimatedProductionRange().high()).isEqualTo(3);
        assertThat(created.estimateBasis()).isEqualTo("no existing table worked through: as on the shadow");
    }

    @Test
    void truncateTakesAsLongWhateverTheRowsAndRaisesNoLongLockAtScale() {
        // 20 ms under an exclusive lock on 40,000 rows of 4,000,000: scaled, 2 s; but its files are swapped, not read.
        ProductionEstimates.Outcome outcome = estimate(POSTGRES, statement("TRUNCATE orders", List.of("orders"),
                EXCLUSIVE), STATS, new ArrayList<>());
        StatementResult truncate = outcome.migrations().get(0).statements().get(0);

        assertThat(truncate.estimatedProductionMs()).isEqualTo(20);
        assertThat(truncate.estimatedProductionRange().low()).isEqualTo(20);
        assertThat(truncate.estimatedProductionRange().high()).isEqualTo(40);
        assertThat(truncate.estimateBasis()).isEqualTo("TRUNCATE takes as long whatever the rows: as on the shadow");
        assertThat(findings(POSTGRES, outcome)).isEmpty();
    }

    @Test
    void tablesWithoutAProductionRowCountAreNamedOnceAndTheirWorkIsNotEstimated() {
        List<RehearsalEvent> events = new ArrayList<>();
        StatementResult invoices = estimate(POSTGRES, statement(3, List.of("invoices"), List.of()), STATS, events)
                .migrations().get(0).statements().get(0);

        assertThat(invoices.estimatedProductionMs()).isNull();
        assertThat(invoices.estimateBasis()).isEqualTo("no estimate: stats.json has no row count for invoices");
        assertThat(events).filteredOn(e -> e.level() == RehearsalEvent.Level.WARN).extracting(RehearsalEvent::message)
                .singleElement().asString().contains("stats.json has no row count for invoices");
    }

    @Test
    void withoutASnapshotNothingIsEstimatedAndTheLogSaysWhyOnce() {
        List<RehearsalEvent> events = new ArrayList<>();
        StatementResult statement = estimate(POSTGRES, statement(20, List.of("orders"), List.of()), null, events)
                .migrations().get(0).statements().get(0);

        assertThat(statement.estimatedProductionMs()).isNull();
        assertThat(statement.estimateBasis()).isNull();
        assertThat(events).extracting(RehearsalEvent::message).singleElement().asString()
                .startsWith("Production estimates: none, as there is no statistics snapshot");
    }

    @Test
    void onlyStatementsThatCouldComeNearMaxLockMsAreWorthCalibrating() {
        // 1 ms at least, times the largest ratio: 0 ms on 40,000 rows of 4,000,000 could be 100 ms.
        assertThat(ProductionEstimates.scaled(statement(0, List.of("orders"), List.of()), STATS)).isEqualTo(100);
        assertThat(ProductionEstimates.scaled(statement(0, List.of("customers"), List.of()), STATS)).isEqualTo(1);
        assertThat(ProductionEstimates.worked(statement(0, List.of("orders"), List.of("customers"),
                new Lock("parent", "ShareRowExclusiveLock", List.of(Access.WRITES), 1)))).containsExactly("orders",
                "customers", "parent");
    }

    @Test
    void aBlockingLockThatOnlySizeMakesLongIsLongLockAtScaleByItsWindowsEstimate() {
        ProductionEstimates.Outcome outcome = estimate(POSTGRES, statement(20, List.of("orders"), List.of(), EXCLUSIVE),
                STATS, new ArrayList<>());

        MigrationResult migration = outcome.migrations().get(0);
        assertThat(migration.statements().get(0).estimatedProductionMs()).isEqualTo(2_000);
        // The statement's estimate and range, plus the 5 ms the lock was held beyond it, which doesn't grow.
        Window window = migration.windows().get(0);
        assertThat(window.estimatedProductionMs()).isEqualTo(2_005);
        assertThat(window.estimatedProductionRange()).isEqualTo(new Range(25, 4_005));
        assertThat(window.estimateBasis()).startsWith("not calibrated (no copy of the shadow)");
        List<Finding> findings = findings(POSTGRES, outcome);
        assertThat(findings).extracting(Finding::rule).containsExactly(Rule.LONG_LOCK_AT_SCALE);
        assertThat(findings.get(0).message()).contains("for 25 ms on the shadow")
                .contains("orders: 4,000,000 rows against 40,000 on the shadow").contains("about 2 s")
                .contains("above maxLockMs 1 s");
        assertThat(findings.get(0).impactMs()).isEqualTo(2_005);
    }

    @Test
    void theLongLocksSafeAlternativeFitsTheStatementAndTheEngine() {
        Lock shared = new Lock("orders", "LOCK=SHARED", List.of(Access.WRITES), 25);
        assertThat(advice(POSTGRES, statement("ALTER TABLE orders ALTER COLUMN total TYPE bigint", List.of("orders"), EXCLUSIVE)))
                .contains("add a column of the new type").doesNotContain("CONCURRENTLY", "NOT VALID");
        assertThat(advice(POSTGRES, statement("CREATE INDEX orders_total ON orders (total)", List.of(),
                new Lock("orders", "ShareLock", List.of(Access.WRITES), 25)))).contains("CREATE INDEX CONCURRENTLY");
        assertThat(advice(POSTGRES, statement("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id)",
                List.of(), EXCLUSIVE))).contains("NOT VALID");
        Dialect mariaDb = Dialect.of(Engine.MARIADB);
        assertThat(advice(mariaDb, statement("ALTER TABLE orders MODIFY total bigint", List.of("orders"), shared)))
                .contains("gh-ost").doesNotContain("CONCURRENTLY", "NOT VALID", "lock_timeout");
        assertThat(advice(mariaDb, statement("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id)",
                List.of(), shared))).contains("foreign_key_checks").doesNotContain("NOT VALID");
    }

    private static String advice(Dialect dialect, StatementResult statement) {
        List<Finding> findings = findings(dialect, estimate(dialect, statement, STATS, new ArrayList<>()));
        assertThat(findings).extracting(Finding::rule).containsExactly(Rule.LONG_LOCK_AT_SCALE);
        String message = findings.get(0).message();
        return message.substring(message.indexOf("Safe alternative: "));
    }

    @Test
    void locksThatStayShortOrBlockNothingAreFine() {
        Lock share = new Lock("orders", "ShareUpdateExclusiveLock", List.of(), 25);
        Lock shortLock = new Lock("customers", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 5);
        assertThat(findings(POSTGRES, estimate(POSTGRES, statement(20, List.of("orders"), List.of(), share), STATS,
                new ArrayList<>()))).isEmpty();
        assertThat(findings(POSTGRES, estimate(POSTGRES, statement(5, List.of("customers"), List.of(), shortLock), STATS,
                new ArrayList<>()))).isEmpty();
    }

    @Test
    void aBackfillWithoutACopyIsItsBatchesOnTheShadowTimesTheBatchesProductionNeeds() {
        BackfillResult walked = new BackfillResult("fill", "4", "orders", "fill.sql:1", 1_000, 40, 40_000, 400, 100_000,
                new BatchMs(10, 12, 15), 0, 0, null, 4_000_000L, 0L, null, null, List.of());
        BackfillResult unknown = new BackfillResult("other", "4", "invoices", "other.sql:1", 1_000, 4, 4_000, 40, 100_000,
                new BatchMs(10, 12, 15), 0, 0, null, null, 0L, null, null, List.of());
        List<BackfillResult> estimated = ProductionEstimates.apply(POSTGRES, List.of(), List.of(walked, unknown),
                new ProductionEstimates.Inputs(null, List.of(), null, BackfillRuns.NONE, STATS, null, 1000, 0),
                event -> { }).backfills();

        assertThat(estimated.get(0).estimatedProductionMs()).isEqualTo(40_000);
        assertThat(estimated.get(0).estimateBasis()).isEqualTo("not calibrated: 10 ms per batch of 1,000 on the shadow "
                + "× 4,000 batches at production");
        assertThat(estimated.get(1).estimatedProductionMs()).isNull();
        assertThat(estimated.get(1).estimateBasis()).isEqualTo("no estimate: no production row count for invoices");
    }
}
