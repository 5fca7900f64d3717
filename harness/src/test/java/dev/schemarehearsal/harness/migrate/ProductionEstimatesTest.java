package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionEstimatesTest {
    private static final Dialect POSTGRES = Dialect.of(Engine.POSTGRESQL);
    private static final Statistics STATS = new Statistics("stats.json",
            List.of(new TableRows("public.orders", 4_000_000, 40_000), new TableRows("customers", 10_000, 10_000)), List.of());

    private static StatementResult statement(long durationMs, List<String> rewrites, List<String> scans, Lock... locks) {
        return new StatementResult(1, 1, "sql", durationMs, List.of(locks), rewrites, scans, List.of(), 0, null, 0L, false, null);
    }

    private static StatementResult statement(String sql, List<String> rewrites, Lock lock) {
        return new StatementResult(1, 1, sql, 20, List.of(lock), rewrites, List.of("orders"), List.of(), 0, null, 0L,
                false, null);
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
    void aBlockingLockThatOnlySizeMakesLongIsLongLockAtScale() {
        Lock exclusive = new Lock("orders", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 25);
        ProductionEstimates.Outcome outcome = ProductionEstimates.apply(POSTGRES,
                List.of(migration(statement(20, List.of("orders"), List.of(), exclusive))), STATS, 1000);

        assertThat(outcome.migrations().get(0).statements().get(0).estimatedProductionMs()).isEqualTo(2_000);
        assertThat(outcome.findings()).extracting(Finding::rule).containsExactly(Rule.LONG_LOCK_AT_SCALE);
        assertThat(outcome.findings().get(0).message()).contains("for 25 ms on the shadow")
                .contains("orders: 4,000,000 rows against 40,000 on the shadow").contains("about 2,005 ms, above maxLockMs 1,000");
    }

    @Test
    void theLongLocksSafeAlternativeFitsTheStatementAndTheEngine() {
        Lock exclusive = new Lock("orders", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 25);
        Lock shared = new Lock("orders", "LOCK=SHARED", List.of(Access.WRITES), 25);
        assertThat(advice(POSTGRES, statement("ALTER TABLE orders ALTER COLUMN total TYPE bigint", List.of("orders"), exclusive)))
                .contains("add a column of the new type").doesNotContain("CONCURRENTLY", "NOT VALID");
        assertThat(advice(POSTGRES, statement("CREATE INDEX orders_total ON orders (total)", List.of(),
                new Lock("orders", "ShareLock", List.of(Access.WRITES), 25)))).contains("CREATE INDEX CONCURRENTLY");
        assertThat(advice(POSTGRES, statement("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id)",
                List.of(), exclusive))).contains("NOT VALID");
        Dialect mariaDb = Dialect.of(Engine.MARIADB);
        assertThat(advice(mariaDb, statement("ALTER TABLE orders MODIFY total bigint", List.of("orders"), shared)))
                .contains("gh-ost").doesNotContain("CONCURRENTLY", "NOT VALID", "lock_timeout");
        assertThat(advice(mariaDb, statement("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id)",
                List.of(), shared))).contains("foreign_key_checks").doesNotContain("NOT VALID");
    }

    private static String advice(Dialect dialect, StatementResult statement) {
        List<Finding> findings = ProductionEstimates.apply(dialect, List.of(migration(statement)), STATS, 1000).findings();
        assertThat(findings).extracting(Finding::rule).containsExactly(Rule.LONG_LOCK_AT_SCALE);
        String message = findings.get(0).message();
        return message.substring(message.indexOf("Safe alternative: "));
    }

    @Test
    void locksThatStayShortOrBlockNothingAreFine() {
        Lock share = new Lock("orders", "ShareUpdateExclusiveLock", List.of(), 25);
        Lock shortLock = new Lock("customers", "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 5);
        assertThat(ProductionEstimates.apply(POSTGRES, List.of(migration(statement(20, List.of("orders"), List.of(), share))), STATS, 1000)
                .findings()).isEmpty();
        assertThat(ProductionEstimates.apply(POSTGRES, List.of(migration(statement(5, List.of("customers"), List.of(), shortLock))), STATS, 1000)
                .findings()).isEmpty();
        assertThat(ProductionEstimates.apply(POSTGRES, List.of(migration(statement(20, List.of("orders"), List.of()))), null, 1000)
                .migrations().get(0).statements().get(0).estimatedProductionMs()).isNull();
    }
}
