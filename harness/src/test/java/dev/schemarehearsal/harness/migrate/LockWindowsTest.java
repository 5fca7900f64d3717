package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** How a migration's lock windows are read from its statements' locks; the locks themselves are traced on real engines. */
class LockWindowsTest {
    private static final List<Access> BOTH = List.of(Access.READS, Access.WRITES);
    private static final List<Access> WRITES = List.of(Access.WRITES);

    static StatementResult statement(int index, long durationMs, Long productionMs, Lock... locks) {
        return new StatementResult(index, index, "statement " + index, durationMs, List.of(locks), List.of(), List.of(),
                List.of(), 0, productionMs, 0L, false, null);
    }

    @Test
    void aLockTakenByTheFirstStatementIsOneWindowOverEveryStatementUnderIt() {
        // DROP COLUMN takes AccessExclusiveLock; the stored generated column added next runs under it, taking ShareLock.
        Lock dropped = new Lock("logs", "AccessExclusiveLock", BOTH, 5_200, 1);
        List<StatementResult> statements = List.of(statement(1, 3, 3L, dropped),
                statement(2, 5_100, 5_520_000L, dropped, new Lock("logs", "ShareLock", WRITES, 5_100, 2)));

        assertThat(LockWindows.of(statements))
                .extracting(Window::table, Window::mode, Window::blocks, Window::fromStatement, Window::toStatement,
                        Window::heldMs)
                .containsExactly(tuple("logs", "AccessExclusiveLock", BOTH, 1, 2, 5_200L));
        MigrationResult migration = new MigrationResult("7", "d", "V7__d.sql", MigrationStatus.APPLIED, 5_300, null,
                statements, List.of(), LockWindows.of(statements));
        // At production size: both statements' estimates, plus the 97 ms the hold took beyond them.
        assertThat(LockWindows.atProductionSize(migration).windows().get(0).estimatedProductionMs())
                .isEqualTo(3 + 5_520_000 + 97);
    }

    @Test
    void eachTableHasItsOwnWindowFromItsFirstBlockingLock() {
        Lock rowOrders = new Lock("orders", "RowExclusiveLock", List.of(), 900, 1);
        Lock indexOrders = new Lock("orders", "ShareLock", WRITES, 800, 2);
        Lock alterCustomers = new Lock("customers", "AccessExclusiveLock", BOTH, 300, 3);
        List<StatementResult> statements = List.of(statement(1, 100, null, rowOrders),
                statement(2, 500, null, rowOrders, indexOrders),
                statement(3, 200, null, rowOrders, indexOrders, alterCustomers),
                statement(4, 50, null, rowOrders, indexOrders, alterCustomers));

        List<Window> windows = LockWindows.of(statements);

        assertThat(windows).extracting(Window::table, Window::mode, Window::fromStatement, Window::toStatement,
                        Window::heldMs)
                .containsExactly(tuple("orders", "ShareLock", 2, 4, 800L), tuple("customers", "AccessExclusiveLock", 3, 4, 300L));
        // A statement without an estimate leaves the window without one.
        MigrationResult migration = new MigrationResult("7", "d", "V7__d.sql", MigrationStatus.APPLIED, 900, null,
                statements, List.of(), windows);
        assertThat(LockWindows.atProductionSize(migration).windows()).extracting(Window::estimatedProductionMs)
                .containsOnlyNulls();
    }

    @Test
    void locksOfSeparateTransactionsAreSeparateWindows() {
        // Outside a transaction, or DDL that commits implicitly: each statement lets its locks go as it ends.
        List<StatementResult> statements = List.of(statement(1, 40, 40L, new Lock("t", "LOCK=SHARED", WRITES, 40, 1)),
                statement(2, 30, 30L, new Lock("t", "LOCK=NONE", List.of(), 30, 2)),
                statement(3, 20, 20L, new Lock("t", "LOCK=SHARED", WRITES, 20, 3)));

        assertThat(LockWindows.of(statements)).extracting(Window::mode, Window::blocks, Window::fromStatement,
                        Window::toStatement)
                .containsExactly(tuple("LOCK=SHARED", WRITES, 1, 1), tuple("LOCK=NONE", List.of(), 2, 2),
                        tuple("LOCK=SHARED", WRITES, 3, 3));
    }
}
