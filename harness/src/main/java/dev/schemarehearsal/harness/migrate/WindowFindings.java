package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * {@code blocking-lock} and {@code long-lock-at-scale}, decided once per lock window: a lock is held from the
 * statement that took it to the end of its transaction, and everything done under it counts, so one lock makes at
 * most one finding of each rule however many statements ran under it. A lock too long on the shadow is a
 * {@code blocking-lock}; one too long at production size is a {@code long-lock-at-scale}, whether or not it already
 * was on the shadow; each says both figures, and carries the production figure as its impact.
 */
public final class WindowFindings {
    private final Dialect dialect;
    private final long maxLockMs;
    private final long maxStallMs;

    public WindowFindings(Dialect dialect, long maxLockMs, long maxStallMs) {
        this.dialect = dialect;
        this.maxLockMs = maxLockMs;
        this.maxStallMs = maxStallMs;
    }

    /**
     * The findings of the applied migrations' windows, in the order the windows began.
     *
     * @param statistics production's row counts, or {@code null}: the sizes the estimates scaled by are named
     */
    public List<Finding> of(List<MigrationResult> migrations, Statistics statistics) {
        List<Finding> findings = new ArrayList<>();
        for (MigrationResult migration : migrations) {
            // A failed migration's failure is what matters: production would stop there.
            if (migration.status() != MigrationStatus.APPLIED) {
                continue;
            }
            for (Window window : migration.windows()) {
                of(migration, window, statistics, findings);
            }
        }
        return findings;
    }

    private void of(MigrationResult migration, Window window, Statistics statistics, List<Finding> findings) {
        List<StatementResult> under = migration.statements().stream().filter(s -> window.covers(s.index())).toList();
        if (under.isEmpty()) {
            return;
        }
        boolean blocking = !window.blocks().isEmpty();
        boolean tooLong = blocking && window.heldMs() > maxLockMs;
        boolean stalled = window.probeStallMs() > maxStallMs;
        Long production = window.estimatedProductionMs();
        boolean tooLongAtScale = blocking && production != null && production > maxLockMs;
        if (!tooLong && !stalled && !tooLongAtScale) {
            return;
        }
        String where = migration.script() + (window.fromStatement() == window.toStatement()
                ? " statement " + window.fromStatement() : " statements " + window.fromStatement() + "–" + window.toStatement())
                + (under.get(0).line() == null ? "" : " (line " + under.get(0).line() + ")");
        String blocks = blocking ? "blocking " + StatementFindings.blocks(window.blocks())
                // Then the probes waited for its rows, or queued behind a stronger lock it waited for itself.
                : "which blocks neither reads nor writes of the table";
        String sizes = sizes(under, statistics);
        String alternative = ". Safe alternative: " + StatementFindings.lockAlternative(dialect, heaviest(under));
        long impact = Math.max(blocking ? production != null ? production : window.heldMs() : 0, window.probeStallMs());
        if (tooLong || stalled) {
            String atScale = !blocking ? "" : production == null ? "; production size not estimated"
                    : "; at production size" + sizes + " about " + human(production);
            findings.add(Finding.ofMigration(Rule.BLOCKING_LOCK, migration.version(), window.fromStatement(),
                    window.table(), where + " held " + window.mode() + " on " + window.table() + " for "
                            + human(window.heldMs()) + ", " + blocks + (tooLong ? " (limit " + human(maxLockMs) + ")" : "")
                            + (stalled ? ", and stalled the probe workload for " + human(window.probeStallMs())
                            + " (limit " + human(maxStallMs) + ")" : "") + atScale + alternative).withImpact(impact));
        }
        if (tooLongAtScale) {
            findings.add(Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, migration.version(), window.fromStatement(),
                    window.table(), where + (window.fromStatement() == window.toStatement() ? " holds " : " hold ") + window.mode() + " on " + window.table() + ", " + blocks + ", for "
                            + human(window.heldMs()) + " on the shadow; at production size" + sizes + " about "
                            + human(production) + ", above maxLockMs " + human(maxLockMs) + alternative)
                    .withImpact(impact));
        }
    }

    /** The statement under the lock that takes longest at production size: its kind says what to do instead. */
    private static StatementResult heaviest(List<StatementResult> under) {
        return under.stream().max(Comparator.comparingLong((StatementResult s) -> s.estimatedProductionMs() == null
                ? s.durationMs() : s.estimatedProductionMs())).orElseThrow();
    }

    /** The production and shadow sizes of the tables the statements under the lock worked through. */
    private static String sizes(List<StatementResult> under, Statistics statistics) {
        Set<String> worked = new LinkedHashSet<>();
        under.forEach(s -> {
            worked.addAll(s.rewrites());
            worked.addAll(s.scans());
        });
        if (statistics == null || worked.isEmpty()) {
            return "";
        }
        return " (" + String.join(", ", worked.stream().map(t -> ProductionEstimates.size(statistics, t)
                .map(s -> String.format("%s: %,d rows against %,d on the shadow", t, s.rows(), s.shadowRows()))
                .orElse(t)).toList()) + ")";
    }
}
