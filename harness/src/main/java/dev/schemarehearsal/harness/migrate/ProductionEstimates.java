package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scales what each statement measured on the shadow to production's size, by the statistics' row counts. Work that
 * rewrote or scanned a table grows with that table (the largest ratio wins); metadata-only work takes as long as
 * it did on the shadow. A blocking lock is held for longer by exactly the extra work.
 */
public final class ProductionEstimates {
    private ProductionEstimates() {
    }

    /** The migrations with their statements' estimates, and a {@code long-lock-at-scale} finding per lock that grows too long. */
    public record Outcome(List<MigrationResult> migrations, List<Finding> findings) { }

    /** What an estimate rests on when the shadow is production's full size. */
    public static final String MEASURED_ON_CLONE = "measured on a full-size clone";

    /**
     * On a clone, production's full size: every statement's estimate is its measurement, the range the measurement
     * itself. Long locks are {@code blocking-lock}'s, measured; there is nothing more to find at scale.
     */
    public static Outcome measured(List<MigrationResult> migrations) {
        return new Outcome(migrations.stream().map(m -> m.withEstimates(m.statements().stream()
                .map(s -> s.withEstimate(s.durationMs(), new Range(s.durationMs(), s.durationMs()), MEASURED_ON_CLONE))
                .toList(), m.sizeChange().stream().map(c -> c.atProduction(1)).toList())).toList(), List.of());
    }

    /** @param statistics production's row counts, or {@code null}: then nothing is estimated */
    public static Outcome apply(Dialect dialect, List<MigrationResult> migrations, Statistics statistics, long maxLockMs) {
        if (statistics == null) {
            return new Outcome(migrations, List.of());
        }
        List<MigrationResult> estimated = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (MigrationResult migration : migrations) {
            List<StatementResult> statements = new ArrayList<>();
            for (StatementResult statement : migration.statements()) {
                Long productionMs = estimate(statement, statistics);
                statements.add(statement.withEstimatedProductionMs(productionMs));
                if (productionMs != null) {
                    findings.addAll(longLocks(dialect, migration, statement, productionMs, statistics, maxLockMs));
                }
            }
            estimated.add(migration.withEstimates(statements, migration.sizeChange().stream()
                    .map(c -> size(statistics, c.table()).map(t -> c.atProduction((double) t.rows() / t.shadowRows()))
                            .orElse(c)).toList()));
        }
        return new Outcome(estimated, findings);
    }

    /** The statement's duration at production size, or {@code null} when a table it worked through has no row counts. */
    static Long estimate(StatementResult statement, Statistics statistics) {
        Set<String> worked = new LinkedHashSet<>(statement.rewrites());
        worked.addAll(statement.scans());
        double factor = 1;
        for (String table : worked) {
            Optional<TableRows> size = size(statistics, table);
            if (size.isEmpty()) {
                return null;
            }
            factor = Math.max(factor, (double) size.get().rows() / size.get().shadowRows());
        }
        return Math.round(statement.durationMs() * factor);
    }

    private static List<Finding> longLocks(Dialect dialect, MigrationResult migration, StatementResult statement,
                                           long productionMs,
                                           Statistics statistics, long maxLockMs) {
        List<Finding> findings = new ArrayList<>();
        long extraMs = Math.max(0, productionMs - statement.durationMs());
        for (Lock lock : statement.locks()) {
            long productionHeldMs = lock.heldMs() + extraMs;
            // A lock already too long on the shadow is blocking-lock's; this rule is for those only size reveals.
            if (lock.blocks().isEmpty() || lock.heldMs() > maxLockMs || productionHeldMs <= maxLockMs) {
                continue;
            }
            String blocks = lock.blocks().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" and "));
            String sizes = statement.rewrites().isEmpty() && statement.scans().isEmpty() ? ""
                    : " (" + String.join(", ", sizes(statement, statistics)) + ")";
            findings.add(Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, migration.version(), statement.index(), lock.table(),
                    String.format("%s statement %d holds %s on %s, blocking %s, for %,d ms on the shadow; at production "
                                    + "size%s about %,d ms, above maxLockMs %,d. Safe alternative: %s.",
                            migration.script(), statement.index(), lock.mode(), lock.table(), blocks, lock.heldMs(), sizes,
                            productionHeldMs, maxLockMs, StatementFindings.lockAlternative(dialect, statement))));
        }
        return findings;
    }

    private static List<String> sizes(StatementResult statement, Statistics statistics) {
        Set<String> worked = new LinkedHashSet<>(statement.rewrites());
        worked.addAll(statement.scans());
        return worked.stream().map(t -> size(statistics, t).map(s -> String.format("%s: %,d rows against %,d on the shadow",
                t, s.rows(), s.shadowRows())).orElse(t)).toList();
    }

    /** The table's sizes; a qualified name in the snapshot matches a bare one in the measurement and the reverse. */
    public static Optional<TableRows> size(Statistics statistics, String table) {
        return statistics.tables().stream()
                .filter(t -> t.shadowRows() > 0)
                .filter(t -> t.table().equals(table) || bare(t.table()).equals(bare(table)))
                .findFirst();
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }
}
