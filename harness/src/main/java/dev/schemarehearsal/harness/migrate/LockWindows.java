package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A migration's lock windows, read from its statements' locks: every statement lists the locks held while it ran
 * with the statement that took each, so a lock runs from its taker to the last statement listing it, and the locks
 * on one table whose runs overlap were held in one transaction: one window, at the strongest mode.
 */
public final class LockWindows {
    private LockWindows() {
    }

    /** The windows of these statements, in the order they began; no estimate and no stall yet. */
    static List<Window> of(List<StatementResult> statements) {
        // Each lock, by table, mode and taker, as its taker listed it, with the last statement that held it.
        Map<List<Object>, Run> runsByLock = new LinkedHashMap<>();
        for (StatementResult statement : statements) {
            for (Lock lock : statement.locks()) {
                int taker = lock.acquiredBy() == null ? statement.index() : lock.acquiredBy();
                Run run = new Run(new Held(lock.table(), lock.mode(), taker, lock.blocks(), lock.heldMs()),
                        statement.index());
                runsByLock.merge(List.of(lock.table(), lock.mode(), taker), run,
                        (was, now) -> new Run(was.held, Math.max(was.to, now.to)));
            }
        }
        Map<String, List<Run>> byTable = new LinkedHashMap<>();
        runsByLock.values().stream().sorted(Comparator.comparingInt((Run r) -> r.held.taker)
                        .thenComparing(r -> r.held.table))
                .forEach(r -> byTable.computeIfAbsent(r.held.table, t -> new ArrayList<>()).add(r));
        List<Window> windows = new ArrayList<>();
        for (List<Run> runs : byTable.values()) {
            List<Run> transaction = new ArrayList<>();
            int to = 0;
            for (Run run : runs) {
                if (!transaction.isEmpty() && run.held.taker > to) {
                    windows.add(window(transaction));
                    transaction = new ArrayList<>();
                }
                transaction.add(run);
                to = Math.max(to, run.to);
            }
            windows.add(window(transaction));
        }
        windows.sort(Comparator.comparingInt(Window::fromStatement).thenComparing(Window::table));
        return windows;
    }

    /**
     * One table's locks of one transaction: from the first that blocks anything (the first at all when none does),
     * at the mode that blocks most, to the last statement that held any.
     */
    private static Window window(List<Run> runs) {
        List<Run> blocking = runs.stream().filter(r -> !r.held.blocks.isEmpty()).toList();
        List<Run> counted = blocking.isEmpty() ? runs : blocking;
        Held first = counted.get(0).held;
        Held strongest = counted.stream().map(r -> r.held)
                .max(Comparator.comparingInt((Held h) -> h.blocks.size()).thenComparing(h -> -h.taker)).orElseThrow();
        Set<Access> blocks = EnumSet.noneOf(Access.class);
        counted.forEach(r -> blocks.addAll(r.held.blocks));
        int to = runs.stream().mapToInt(r -> r.to).max().orElseThrow();
        return new Window(first.table, strongest.mode, blocks.stream().sorted().toList(), first.taker, to, first.heldMs,
                null, null, null, 0);
    }

    /**
     * The migration's windows at production size: the production estimates of the statements under each, plus what
     * its hold took beyond their measured durations (the time between and after them), which does not grow with
     * the data. No estimate when a statement under it has none.
     */
    public static MigrationResult atProductionSize(MigrationResult migration) {
        return migration.withWindows(migration.windows().stream().map(w -> w.withEstimate(estimate(migration, w)))
                .toList());
    }

    private static ProductionEstimate estimate(MigrationResult migration, Window window) {
        List<ProductionEstimate> under = new ArrayList<>();
        long measured = 0;
        for (StatementResult statement : migration.statements()) {
            if (!window.covers(statement.index())) {
                continue;
            }
            if (statement.estimate() == null) {
                return null;
            }
            under.add(statement.estimate());
            measured += statement.durationMs();
        }
        ProductionEstimate sum = ProductionEstimate.sum(under);
        long between = Math.max(0, window.heldMs() - measured);
        return new ProductionEstimate(sum.ms() + between, sum.range().plus(new Range(between, between)),
                sum.basis());
    }

    /** A lock one statement took. */
    private record Held(String table, String mode, int taker, List<Access> blocks, long heldMs) { }

    /** A lock and the last statement that held it. */
    private record Run(Held held, int to) { }
}
