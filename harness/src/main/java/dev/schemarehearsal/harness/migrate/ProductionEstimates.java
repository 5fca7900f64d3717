package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.SqlText;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Each statement's and backfill's duration at production size, by the statistics' row counts. A statement whose
 * estimate matters (it works through an existing table: rewrites, scans or locks it) and that could come near
 * {@code maxLockMs} at production's size is calibrated ({@link Calibration}): measured at several sizes of the same
 * data and fitted ({@link EstimateModel}); so is every backfill. The others are their shadow duration times their
 * tables' row ratio, which stays far under {@code maxLockMs}. A lock is held for longer by exactly the extra work of
 * the statements under it ({@link LockWindows#atProductionSize}).
 */
public final class ProductionEstimates {
    /** Statements whose shadow duration times their row ratio stays under maxLockMs over this aren't calibrated. */
    static final long FAR_UNDER = 10;
    /**
     * TRUNCATE swaps the table's files for empty ones whatever rows they held: its time doesn't grow with them, and
     * a fit on a few milliseconds of noise at several sizes could make it grow either way from one run to the next.
     */
    private static final Pattern TRUNCATE = Pattern.compile("^TRUNCATE\\b", Pattern.CASE_INSENSITIVE);

    /** What an estimate rests on when the shadow is production's full size. */
    public static final String MEASURED_ON_CLONE = "measured on a full-size clone";

    private ProductionEstimates() {
    }

    /**
     * On a clone, production's full size: every statement's estimate is its measurement, the range the measurement
     * itself, and the storage growth production's own; the lock windows' estimates their sums.
     */
    public static List<MigrationResult> measured(List<MigrationResult> migrations) {
        return migrations.stream().map(m -> LockWindows.atProductionSize(m.withEstimates(m.statements().stream()
                .map(s -> s.withEstimate(s.durationMs(), new Range(s.durationMs(), s.durationMs()), MEASURED_ON_CLONE))
                .toList(), m.sizeChange().stream().map(c -> c.atProduction(1)).toList()))).toList();
    }

    /**
     * What the estimates rest on.
     *
     * @param pending      the pending migrations in the order they apply
     * @param baseline     a copy of the shadow before the pending migrations ran, to calibrate on; {@code null} when
     *                     there is none (statements are then only scaled)
     * @param backfillRuns the backfills, to run on the copies
     * @param statistics   production's row counts as applied, or {@code null} without a snapshot
     * @param snapshot     production's statistics, applied again on the copies; {@code null} without a snapshot
     * @param maxPaddingMb how much storage a copy padded to production's pages may take, for DML's plans
     */
    public record Inputs(MigrationSource source, List<Migration> pending, ShadowDatabase baseline,
                         BackfillRuns backfillRuns, Statistics statistics, StatisticsSnapshot snapshot, long maxLockMs,
                         long maxPaddingMb) { }

    /**
     * The migrations and backfills with their estimates, and whether anything was calibrated.
     */
    public record Outcome(List<MigrationResult> migrations, List<BackfillResult> backfills, boolean calibrated) { }

    public static Outcome apply(Dialect dialect, List<MigrationResult> migrations, List<BackfillResult> backfills,
                                Inputs inputs, RehearsalListener listener) {
        Statistics statistics = inputs.statistics();
        if (statistics == null) {
            listener.info("Production estimates: none, as there is no statistics snapshot (stats.json) with "
                    + "production's row counts; write one with schema:sample or the shipped stats script");
            return new Outcome(migrations, backfills, false);
        }
        Set<String> lacking = new TreeSet<>();
        Map<StatementResult, Calibration.Target> targets = new LinkedHashMap<>();
        for (MigrationResult migration : migrations) {
            boolean committed = false;
            for (StatementResult statement : migration.statements()) {
                List<String> worked = worked(statement);
                List<String> missing = worked.stream().filter(t -> productionRows(statistics, t).isEmpty()).toList();
                lacking.addAll(missing);
                if (migration.status() == MigrationStatus.APPLIED && statement.error() == null && !worked.isEmpty()
                        && !truncates(statement) && missing.size() < worked.size() && inputs.baseline() != null
                        && scaled(statement, statistics) >= inputs.maxLockMs() / FAR_UNDER) {
                    targets.put(statement, new Calibration.Target(migration.version(), migration.script(), statement,
                            worked, committed));
                }
                committed |= statement.committed();
            }
        }
        backfills.stream().filter(b -> b.productionRows() == null).forEach(b -> lacking.add(b.table()));
        if (!lacking.isEmpty()) {
            listener.warn("Production estimates: " + statistics.file() + " has no row count for " + String.join(", ",
                    lacking) + ", which the migrations or backfills work through: the estimates of that work are "
                    + "missing or taken at the shadow's size. Fix: add the tables to the statistics snapshot (run the "
                    + "stats script on production again)");
        }
        boolean calibrate = inputs.baseline() != null && (!targets.isEmpty() || backfills.stream()
                .anyMatch(b -> b.productionRows() != null && b.error() == null));
        try (Calibration calibration = calibrate ? new Calibration(dialect, inputs.source(), inputs.pending(),
                inputs.baseline(), inputs.backfillRuns(), statistics, inputs.snapshot(), inputs.maxPaddingMb(), listener)
                : null) {
            if (calibration != null) {
                long start = System.nanoTime();
                listener.info("Calibrating production estimates of " + (targets.isEmpty() ? "no statement"
                        : targets.values().stream().map(Calibration.Target::name).collect(Collectors.joining(", ")))
                        + (backfills.isEmpty() ? "" : " and the backfills") + " on copies of the shadow at several sizes");
                calibration.measure(List.copyOf(targets.values()), Calibration.referenced(migrations.stream()
                        .flatMap(m -> m.statements().stream()).map(StatementResult::sql).toList()));
                listener.info("Calibrated in " + human((System.nanoTime() - start) / 1_000_000) + ": "
                        + calibration.cost());
            }
            List<MigrationResult> estimated = new ArrayList<>();
            for (MigrationResult migration : migrations) {
                List<StatementResult> statements = new ArrayList<>();
                for (StatementResult statement : migration.statements()) {
                    statements.add(estimate(statement, targets.get(statement), calibration, statistics, inputs,
                            listener));
                }
                // Storage growth scaled by each table's rows.
                estimated.add(LockWindows.atProductionSize(migration.withEstimates(statements, migration.sizeChange()
                        .stream().map(c -> size(statistics, c.table()).map(t -> c.atProduction((double) t.rows()
                                / t.shadowRows())).orElse(c)).toList())));
            }
            List<BackfillResult> walked = backfills.stream().map(b -> estimate(b, calibration)).toList();
            return new Outcome(estimated, walked, calibration != null);
        }
    }

    /** The existing tables the statement worked through: rewrote, scanned or locked. */
    static List<String> worked(StatementResult statement) {
        Set<String> worked = new LinkedHashSet<>(statement.rewrites());
        worked.addAll(statement.scans());
        statement.locks().forEach(l -> worked.add(l.table()));
        return List.copyOf(worked);
    }

    static boolean truncates(StatementResult statement) {
        return TRUNCATE.matcher(SqlText.withoutLeadingComments(statement.sql())).find();
    }

    /** The statement's shadow duration (at least 1 ms) times the largest row ratio of the tables it worked through. */
    static long scaled(StatementResult statement, Statistics statistics) {
        return Math.round(Math.max(1, statement.durationMs()) * ratio(worked(statement), statistics));
    }

    private static double ratio(List<String> tables, Statistics statistics) {
        double ratio = 1;
        for (String table : tables) {
            Optional<TableRows> size = size(statistics, table);
            if (size.isPresent()) {
                ratio = Math.max(ratio, (double) size.get().rows() / size.get().shadowRows());
            }
        }
        return ratio;
    }

    private static StatementResult estimate(StatementResult statement, Calibration.Target target, Calibration calibration,
                                            Statistics statistics, Inputs inputs, RehearsalListener listener) {
        if (statement.error() != null) {
            return statement;
        }
        List<String> worked = worked(statement);
        if (worked.isEmpty()) {
            return statement.withEstimate(new ProductionEstimate(statement.durationMs(),
                    new Range(statement.durationMs(), statement.durationMs()),
                    "no existing table worked through: as on the shadow"), null);
        }
        if (truncates(statement)) {
            return statement.withEstimate(new ProductionEstimate(statement.durationMs(),
                    new Range(statement.durationMs(), 2 * Math.max(1, statement.durationMs())),
                    "TRUNCATE takes as long whatever the rows: as on the shadow"), null);
        }
        List<String> missing = worked.stream().filter(t -> productionRows(statistics, t).isEmpty()).toList();
        if (missing.size() == worked.size()) {
            return statement.withEstimate(null, "no estimate: " + statistics.file() + " has no row count for "
                    + String.join(", ", missing));
        }
        if (target != null && calibration != null) {
            Set<String> lacking = new TreeSet<>();
            Optional<ProductionEstimate> calibrated = calibration.estimate(target, lacking);
            if (calibrated.isPresent()) {
                listener.info("Estimate of " + target.name() + ": " + describe(calibrated.get()));
                return statement.withEstimate(calibrated.get(), null);
            }
            String why = calibration.failure(target);
            listener.warn("Estimate of " + target.name() + " not calibrated: " + why + "; scaled by its row ratio instead");
            return statement.withEstimate(scaledEstimate(statement, statistics, "not calibrated (" + why + ")", 2), null);
        }
        String why = inputs.baseline() == null ? "not calibrated (no copy of the shadow)" : "not calibrated, far under "
                + "maxLockMs";
        return statement.withEstimate(scaledEstimate(statement, statistics, why, inputs.baseline() == null ? 2 : 1), null);
    }

    /**
     * The shadow duration times the largest row ratio of the tables it rewrote or read in full (metadata-only work
     * under a lock takes as long as on the shadow), its range from the shadow's duration to {@code spread} times it.
     */
    private static ProductionEstimate scaledEstimate(StatementResult statement, Statistics statistics, String why,
                                                     double spread) {
        Set<String> read = new LinkedHashSet<>(statement.rewrites());
        read.addAll(statement.scans());
        double ratio = ratio(List.copyOf(read), statistics);
        long ms = Math.round(statement.durationMs() * ratio);
        return new ProductionEstimate(ms, new Range(Math.min(statement.durationMs(), ms),
                Math.round(Math.max(1, ms) * spread)), String.format(Locale.ROOT, "%s: %s on the shadow × %s "
                + "(production's rows over the shadow's)", why, human(statement.durationMs()),
                ratio >= 10 ? String.format(Locale.ROOT, "%,.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio)));
    }

    private static BackfillResult estimate(BackfillResult backfill, Calibration calibration) {
        if (backfill.estimatedProductionMs() != null) {
            // Sampled in a time box at production's size, or run whole on a clone: already its own estimate.
            return backfill;
        }
        if (backfill.productionRows() == null) {
            return backfill.withEstimate(null, "no estimate: no production row count for " + backfill.table());
        }
        if (backfill.error() != null || backfill.batches() == 0) {
            return backfill.withEstimate(null, backfill.error() != null ? "no estimate: a batch failed"
                    : "no estimate: no batch ran on the shadow");
        }
        Optional<ProductionEstimate> calibrated = calibration == null ? Optional.empty()
                : calibration.estimate(backfill, backfill.productionRows());
        if (calibrated.isPresent()) {
            return backfill.withEstimate(calibrated.get(), null);
        }
        double perBatch = (double) backfill.durationMs() / backfill.batches();
        double batches = Math.ceil((double) backfill.productionRows() / backfill.batch());
        long ms = Math.round(perBatch * batches);
        return backfill.withEstimate(new ProductionEstimate(ms, new Range(ms / 2, ms * 2),
                String.format(Locale.ROOT, "not calibrated: %s per batch of %,d on the shadow × %,.0f batches at "
                        + "production", EstimateModel.ms(perBatch), backfill.batch(), batches)), null);
    }

    /** An estimate for a person: {@code 1.2 s (0.8 s to 2.1 s): fit on …}. */
    static String describe(ProductionEstimate estimate) {
        return human(estimate.ms()) + " (" + human(estimate.range().low()) + " to " + human(estimate.range().high())
                + "): " + estimate.basis();
    }

    /** The table's sizes; a qualified name in the snapshot matches a bare one in the measurement and the reverse. */
    public static Optional<TableRows> size(Statistics statistics, String table) {
        return statistics.tables().stream()
                .filter(t -> t.shadowRows() > 0)
                .filter(t -> t.table().equals(table) || bare(t.table()).equals(bare(table)))
                .findFirst();
    }

    /** Production's rows of the table, whatever the shadow has of it. */
    static Optional<Long> productionRows(Statistics statistics, String table) {
        return statistics.tables().stream()
                .filter(t -> t.table().equals(table) || bare(t.table()).equals(bare(table)))
                .map(TableRows::rows).findFirst();
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }
}
