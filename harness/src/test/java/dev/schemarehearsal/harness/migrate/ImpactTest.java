package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ImpactTest {
    private static MigrationResult migration(String version, Window... windows) {
        return new MigrationResult(version, "d", "V" + version + "__d.sql", MigrationStatus.APPLIED, 0, null, List.of(),
                List.of(), List.of(windows));
    }

    @Test
    void findingsAreOrderedByTheProductionTimeTheyBlockReadsAndWritesWeighingTwice() {
        // V2 blocks writes for 30 min at production size; V3 reads and writes for 20 min; V4 reads and writes for
        // 92 min; V5 blocks nothing.
        List<MigrationResult> migrations = List.of(
                migration("2", new Window("orders", "ShareLock", List.of(Access.WRITES), 1, 1, 300, 1_800_000L, null, null, 0)),
                migration("3", new Window("customers", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 1, 2,
                        200, 1_200_000L, null, null, 0)),
                migration("4", new Window("logs", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 1, 2,
                        5_000, 5_520_000L, null, null, 0)),
                migration("5", new Window("items", "ShareUpdateExclusiveLock", List.of(), 1, 1, 9_000, 900_000L, null, null, 0)));
        Finding plan = new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, "5", null, null, "q", "worse");
        Finding concurrent = Finding.ofMigration(Rule.DESTRUCTIVE_CHANGE, "5", 1, "items", "dropped");
        Finding index = Finding.ofMigration(Rule.INDEX_NOT_CONCURRENT, "2", 1, "orders", "index");
        Finding rewrite = Finding.ofMigration(Rule.TABLE_REWRITE, "3", 2, "customers", "rewrite");
        Finding stall = Finding.ofMigration(Rule.BLOCKING_LOCK, "6", 3, null, "stalled").withImpact(700);
        Finding scale = Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, "4", 1, "logs", "92 min");
        Finding unrelated = Finding.ofMigration(Rule.MISSING_LOCK_TIMEOUT, "4", 3, "logs", "after the window");

        List<Finding> ranked = Impact.rank(List.of(plan, concurrent, index, rewrite, stall, scale, unrelated), migrations);

        assertThat(ranked).extracting(Finding::message, Finding::impactMs).containsExactly(
                tuple("92 min", 5_520_000L),
                tuple("rewrite", 1_200_000L),       // 20 min of reads and writes weighs more than 30 of writes
                tuple("index", 1_800_000L),
                tuple("stalled", 700L),
                tuple("worse", 0L),                 // then by severity, then as found
                tuple("dropped", 0L),
                tuple("after the window", 0L));
    }
}
