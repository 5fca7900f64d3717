package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionEstimatesTest {
    private static final Statistics STATS = new Statistics("stats.json",
            List.of(new TableRows("public.orders", 4_000_000, 40_000), new TableRows("customers", 10_000, 10_000)), List.of());

    private static StatementResult statement(long durationMs, List<String> rewrites, List<String> scans, Lock... locks) {
        return statement("sql", durationMs, rewrites, scans, locks);
    }

    private static StatementResult statement(String sql, long durationMs, List<String> rewrites, List<String> scans,
                                             Lock... locks) {
        return new StatementResult(1, 1, sql, durationMs, List.of(locks), rewrites, scans, List.of(), 0, null, 0L, false, null);
    }

    private static MigrationResult migration(StatementResult statement) {
        return new MigrationResult("4", "d", "V4__d.sql", MigrationStatus.APPLIED, statement.durationMs(), null, List.of(statement));
    }

    @Test
    void workThroughATableScalesWithItsRowsAndMetadataOnlyWorkDoesNot() {
        assertThat(ProductionEstimates.estimate(statement(20, List.of("orders"), List.of()), STATS)).isEqualTo(2_000);
        assertThat(ProductionEstimates.estimate(statement(20, List.of(), List.of("orders", "customers")), STATS)).isEqualTo(2_000);
        assertThat(ProductionEstimates.estimate(statement(3, List.of(), List.of()), STATS)).isEqualTo(3);
        assertThat(ProductionEstimates.estimate(statement(3, List.of("invoices"), List.of()), STATS)).isNull();
    }

    @Test
    void truncateTakesAsLongAtProductionSizeAsOnTheShadow() {
        assertThat(ProductionEstimates.estimate(statement("-- empty it\ntruncate orders", 2, List.of("orders"), List.of()),
                STATS)).isEqualTo(2);
        assertThat(ProductionEstimates.estimate(statement("TRUNCATE TABLE orders CASCADE", 0, List.of("orders"), List.of()),
                STATS)).isZero();
    }

    @Test
    void eachStatementIsEstimatedAndNothingWithoutStatistics() {
        Lock exclusive = new Lock("orders", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 25, 1);
        MigrationResult rewrite = migration(statement(20, List.of("orders"), List.of(), exclusive));
        assertThat(ProductionEstimates.apply(List.of(rewrite), STATS).get(0).statements().get(0).estimatedProductionMs())
                .isEqualTo(2_000);
        assertThat(ProductionEstimates.apply(List.of(rewrite), null).get(0).statements().get(0).estimatedProductionMs())
                .isNull();
    }
}
