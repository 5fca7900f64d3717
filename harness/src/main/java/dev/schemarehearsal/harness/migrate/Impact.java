package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Orders findings by what they would cost production: the time a lock blocks production's reads or writes,
 * estimated at production size (measured on the shadow without an estimate), a lock blocking reads and writes
 * weighing twice one that blocks writes only; then by severity, then in the order they were found. A finding about
 * a statement and a table takes its impact from the lock window the statement ran under on that table; one that
 * blocks nothing has none.
 */
public final class Impact {
    /** A probe that queued behind the lock held reads and writes alike. */
    private static final int QUEUED = 2;

    private Impact() {
    }

    /** The findings, each with its impact, most costly first. */
    public static List<Finding> rank(List<Finding> findings, List<MigrationResult> migrations) {
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            ranked.add(ranked(findings.get(i), migrations, i));
        }
        ranked.sort(Comparator.comparingLong((Ranked r) -> -r.weighted())
                .thenComparing(r -> r.finding.severity())
                .thenComparingInt(Ranked::order));
        return ranked.stream().map(Ranked::finding).toList();
    }

    private static Ranked ranked(Finding finding, List<MigrationResult> migrations, int order) {
        Optional<Window> window = window(finding, migrations);
        if (window.isEmpty()) {
            // Its own figure, if its maker gave one: a stall no window explains held reads and writes up.
            return new Ranked(finding, finding.impactMs() > 0 ? QUEUED : 0, order);
        }
        Window held = window.get();
        long blockedMs = held.blocks().isEmpty() ? 0
                : held.estimatedProductionMs() != null ? held.estimatedProductionMs() : held.heldMs();
        long impact = Math.max(Math.max(blockedMs, held.probeStallMs()), finding.impactMs());
        int weight = held.blocks().contains(Access.READS) || blockedMs < impact ? QUEUED : held.blocks().size();
        return new Ranked(finding.withImpact(impact), weight, order);
    }

    /** The window the finding's statement ran under on the finding's table. */
    private static Optional<Window> window(Finding finding, List<MigrationResult> migrations) {
        if (finding.migration() == null || finding.statement() == null || finding.table() == null) {
            return Optional.empty();
        }
        return migrations.stream().filter(m -> Objects.equals(m.version(), finding.migration()))
                .flatMap(m -> m.windows().stream())
                .filter(w -> w.covers(finding.statement()) && Stalls.sameTable(w.table(), finding.table()))
                .max(Comparator.comparingInt(w -> w.blocks().size()));
    }

    private record Ranked(Finding finding, int weight, int order) {
        long weighted() {
            return finding.impactMs() * weight;
        }
    }
}
