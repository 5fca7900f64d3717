package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.dialect.LockWaits.Wait;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts each probe that waited down to the lock it waited for: the migration's window on the table it waited on
 * while that lock was held, or, when the engine names no table, the window on a table the probe reads or writes.
 * A wait the migration's session caused but no window explains (a lock it only queued for, on a statement that
 * then failed) goes to the statement running then. A wait on another session is not the migration's. Without
 * the engine telling what the probes waited for, every slow probe is taken as a wait seen as it started.
 */
final class Stalls {
    private Stalls() {
    }

    /** When a statement ran, and when the locks it took were let go, in {@link System#nanoTime()} units. */
    record Span(int index, long startNanos, long endNanos, long lockEndNanos) { }

    /** The windows and statements with the longest probe wait each caused. */
    record Attributed(List<Window> windows, List<StatementResult> statements) { }

    /**
     * @param session the migration's session as the engine's lock views know it, 0 when not known
     * @param spans   the statements' times, in the order of {@code statements}
     */
    static Attributed attribute(List<Probes.Probe> probes, Optional<List<Probes.Waited>> waits, long session,
                                List<StatementResult> statements, List<Span> spans, List<Window> windows) {
        Map<Integer, Span> byIndex = new HashMap<>();
        spans.forEach(s -> byIndex.put(s.index, s));
        long[] windowStall = new long[windows.size()];
        Map<Integer, Long> statementStall = new HashMap<>();
        for (Probes.Probe probe : probes) {
            long latencyMs = probe.latencyNanos() / 1_000_000;
            if (latencyMs == 0) {
                continue;
            }
            for (Probes.Waited waited : seen(probe, waits)) {
                Wait wait = waited.lock();
                if (!wait.blockers().isEmpty() && (session == 0 || !wait.blockers().contains(session))) {
                    continue;
                }
                int window = window(probe, waited, windows, byIndex);
                if (window >= 0) {
                    windowStall[window] = Math.max(windowStall[window], latencyMs);
                    Window held = windows.get(window);
                    spans.stream().filter(s -> held.covers(s.index) && overlaps(probe, s))
                            .forEach(s -> statementStall.merge(s.index, latencyMs, Math::max));
                    break;
                }
                Optional<Span> running = spans.stream()
                        .filter(s -> s.startNanos <= waited.atNanos() && waited.atNanos() <= s.endNanos).findFirst();
                if (running.isPresent()) {
                    statementStall.merge(running.get().index, latencyMs, Math::max);
                    break;
                }
            }
        }
        List<Window> stalled = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            stalled.add(windows.get(i).withStall(windowStall[i]));
        }
        return new Attributed(stalled, statements.stream()
                .map(s -> s.withStall(statementStall.getOrDefault(s.index(), 0L))).toList());
    }

    /** The probe's session seen waiting while it ran, in time order; or the probe itself when no one watched. */
    private static List<Probes.Waited> seen(Probes.Probe probe, Optional<List<Probes.Waited>> waits) {
        if (waits.isEmpty()) {
            return List.of(new Probes.Waited(probe.startNanos(), new Wait(probe.session(), null, Set.of())));
        }
        if (probe.session() == 0) {
            return List.of();
        }
        return waits.get().stream().filter(w -> w.lock().session() == probe.session()
                        && w.atNanos() >= probe.startNanos() && w.atNanos() <= probe.endNanos())
                .sorted(Comparator.comparingLong(Probes.Waited::atNanos)).toList();
    }

    /** The index of the window held then on the table waited for (or one the probe names), the strongest; else -1. */
    private static int window(Probes.Probe probe, Probes.Waited waited, List<Window> windows, Map<Integer, Span> spans) {
        int chosen = -1;
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            Span taker = spans.get(window.fromStatement());
            long end = taker == null || taker.lockEndNanos == 0 ? Long.MAX_VALUE : taker.lockEndNanos;
            if (taker == null || waited.atNanos() < taker.startNanos || waited.atNanos() > end) {
                continue;
            }
            String table = waited.lock().table();
            boolean on = table != null ? sameTable(table, window.table())
                    : probe.sql() != null && Probes.names(probe.sql(), window.table());
            if (on && (chosen < 0 || window.blocks().size() > windows.get(chosen).blocks().size())) {
                chosen = i;
            }
        }
        return chosen;
    }

    private static boolean overlaps(Probes.Probe probe, Span statement) {
        return probe.startNanos() <= statement.endNanos && probe.endNanos() >= statement.startNanos;
    }

    /** A qualified name matches the same name bare: the lock views and the traced locks may differ in that. */
    static boolean sameTable(String a, String b) {
        return a.equals(b) || a.substring(a.lastIndexOf('.') + 1).equals(b.substring(b.lastIndexOf('.') + 1));
    }
}
