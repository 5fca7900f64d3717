package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.RehearsalResult.Point;
import dev.schemarehearsal.harness.api.RehearsalResult.Trends;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ComparisonTest {
    private static final Finding LOCK = Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "orders", "blocks writes");
    private static final Finding DROP = Finding.ofMigration(Rule.DESTRUCTIVE_CHANGE, "12", 1, "orders", "drops");
    private static final Finding REGRESSION = new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, "12", null, null,
            "pending_orders", "pending_orders is now read in full");

    /** A week ago. */
    private final RunRecord weekAgo = Runs.record(Runs.result(List.of(Runs.v12(400, 400L)),
            List.of(Runs.query("pending_orders", 8, "Index Scan")), List.of(LOCK)), Runs.statistics(120_000_000),
            Runs.plans("2026-01-01T00:00:00Z", "Index Scan", 8), "2026-01-01T02:00:00.000Z");
    /** Last night: the same plans capture. */
    private final RunRecord lastNight = Runs.record(Runs.result(List.of(Runs.v12(450, 1_000L)),
            List.of(Runs.query("pending_orders", 8, "Index Scan")), List.of(LOCK, DROP)), Runs.statistics(123_000_000),
            Runs.plans("2026-01-01T00:00:00Z", "Index Scan", 8), "2026-01-07T02:00:00.000Z");
    /** Tonight: orders grew, V12's lock with it, the query's plan changed, in production too. */
    private final RunRecord tonight = Runs.record(Runs.result(List.of(Runs.v12(500, 1_300L)),
            List.of(Runs.query("pending_orders", 3_471, "Seq Scan")), List.of(LOCK, REGRESSION)),
            Runs.statistics(124_920_000), Runs.plans("2026-01-08T00:00:00Z", "Seq Scan", 3_471), "2026-01-08T02:00:00.000Z");

    private Comparison comparison() {
        return new Comparison(List.of(weekAgo, lastNight), tonight);
    }

    @Test
    void findingsAreKnownWhenThePreviousRunHadThem() {
        List<Finding> findings = Fingerprints.assign(List.of(LOCK, REGRESSION), List.of(Runs.v12(500, null)));
        assertThat(findings.stream().map(f -> Comparison.mark(f, lastNight).history()))
                .containsExactly(Novelty.KNOWN, Novelty.NEW);
        // The branch's first run: everything is new.
        assertThat(Comparison.mark(findings.get(0), null).history()).isEqualTo(Novelty.NEW);
    }

    @Test
    void resolvedAreThePreviousRunsFindingsThisRunHasNot() {
        assertThat(comparison().resolved()).extracting(Finding::rule, Finding::migration, Finding::statement,
                Finding::message).containsExactly(tuple(Rule.DESTRUCTIVE_CHANGE, "12", 1, "drops"));
        assertThat(comparison().resolved().get(0).fingerprint()).isEqualTo(lastNight.findings().get(1).fingerprint());
        assertThat(new Comparison(List.of(), tonight).resolved()).isEmpty();
    }

    @Test
    void theSummarySaysWhatGrewSinceLastWeek() {
        assertThat(comparison().summary()).isEqualTo("orders +4.1 % since last week; V12's lock at production size "
                + "400 ms → 1.3 s; query pending_orders's plan changed (cost 8 → 3,471)");
    }

    @Test
    void aHistoryYoungerThanAWeekComparesWithItsOldestRun() {
        assertThat(new Comparison(List.of(lastNight), tonight).summary()).isEqualTo("orders +1.6 % since the last run; "
                + "V12's lock at production size 1 s → 1.3 s; query pending_orders's plan changed (cost 8 → 3,471)");
        RunRecord sameAsTonight = Runs.record(Runs.result(List.of(Runs.v12(500, 1_300L)),
                List.of(Runs.query("pending_orders", 3_471, "Seq Scan")), List.of()), Runs.statistics(124_920_000),
                null, "2026-01-07T23:00:00.000Z");
        assertThat(new Comparison(List.of(sameAsTonight), tonight).summary()).isEmpty();
        // A lock a little longer or shorter from one night to the next is the shadow's timing, not news.
        assertThat(new Comparison(List.of(lock(NIGHT, 1_000L, 1_060L)), lock(NEXT, 1_100L, 1_140L)).summary())
                .isEmpty();
        // On the shadow alone, below a second.
        assertThat(new Comparison(List.of(lock(NIGHT, 88L, null)), lock(NEXT, 213L, null)).summary()).isEmpty();
        assertThat(new Comparison(List.of(lock(NIGHT, 400L, null)), lock(NEXT, 1_500L, null)).summary())
                .isEqualTo("Since the last run: V12's lock 400 ms → 1.5 s");
        assertThat(new Comparison(List.of(), tonight).summary()).isEmpty();
    }

    @Test
    void trendsHaveAPointPerRunAndMarkPlanChanges() {
        Trends trends = comparison().trends();
        assertThat(trends.migrations()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("V12__orders_index.sql");
            assertThat(t.points()).extracting(Point::at, Point::value).containsExactly(
                    tuple("2026-01-01T02:00:00.000Z", 400.0), tuple("2026-01-07T02:00:00.000Z", 1_000.0),
                    tuple("2026-01-08T02:00:00.000Z", 1_300.0));
        });
        assertThat(trends.queries()).singleElement().satisfies(t -> assertThat(t.points())
                .extracting(Point::value, Point::planChanged)
                .containsExactly(tuple(8.0, false), tuple(8.0, false), tuple(3_471.0, true)));
        assertThat(trends.tables()).extracting(t -> t.name()).containsExactly("orders", "customers");
        assertThat(trends.tables().get(0).points()).extracting(Point::value, Point::bytes).containsExactly(
                tuple(120_000_000.0, 14_400_000_000L), tuple(123_000_000.0, 14_760_000_000L),
                tuple(124_920_000.0, 14_990_400_000L));
    }

    @Test
    void driftComparesTwoCapturesOfProductionsPlans() {
        assertThat(comparison().drift()).singleElement().satisfies(drift -> {
            assertThat(drift.query()).isEqualTo("pending_orders");
            assertThat(drift.from()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(drift.to()).isEqualTo("2026-01-08T00:00:00Z");
            assertThat(drift.costFrom()).isEqualTo(8.0);
            assertThat(drift.costTo()).isEqualTo(3_471.0);
            assertThat(drift.changes()).contains("index orders_status_idx is no longer used");
        });
        // The same capture twice is no drift; neither is a run without one.
        assertThat(new Comparison(List.of(weekAgo), lastNight).drift()).isEmpty();
    }

    private static final String NIGHT = "2026-01-07T23:00:00.000Z";
    private static final String NEXT = "2026-01-08T23:00:00.000Z";

    /** A run of V12 alone, its statement taking {@code heldMs} on the shadow and {@code productionMs} at scale. */
    private static RunRecord lock(String at, long heldMs, Long productionMs) {
        return Runs.record(Runs.result(List.of(Runs.v12(heldMs, productionMs)), List.of(), List.of()), null, null, at);
    }
}
