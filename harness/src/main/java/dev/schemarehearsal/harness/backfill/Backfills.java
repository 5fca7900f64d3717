package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillSample;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.Batch;
import dev.schemarehearsal.harness.api.RehearsalResult.BatchAdvice;
import dev.schemarehearsal.harness.api.RehearsalResult.BatchMs;
import dev.schemarehearsal.harness.api.RehearsalResult.BatchTrial;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.backfill.KeysetWalk.Step;
import dev.schemarehearsal.harness.backfill.KeysetWalk.Walk;
import dev.schemarehearsal.harness.migrate.AfterMigration;
import dev.schemarehearsal.harness.migrate.BackfillRuns;
import dev.schemarehearsal.harness.migrate.FlywayScripts;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import dev.schemarehearsal.harness.migrate.Probes;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Runs each backfill right after its migration, on a session of its own while the probes run: the batches, the
 * verify query, a second run that should change nothing, and with {@code adviseBatch} a few batch sizes tried first.
 */
public final class Backfills implements AfterMigration {
    /** The batch sizes {@code adviseBatch} tries. */
    static final List<Integer> TRIAL_SIZES = List.of(500, 2_000, 10_000, 50_000);
    /** How many keys each tried size walks at most (at least a few batches): enough to see its stalls. */
    private static final long TRIAL_KEYS = 100_000;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /** How many of the sampled batches run a second time, to see that the backfill changes nothing done. */
    private static final int RERUN_SAMPLED = 10;

    /**
     * Limits and options from the configuration.
     *
     * @param sampleSeconds the time box of a backfill sampled at full size, 0 to run every batch
     * @param fullSize      whether the shadow is production's full size (a clone): estimates are measurements there
     */
    public record Settings(long maxStallMs, Long maxBackfillMs, boolean adviseBatch, long sampleSeconds,
                           boolean fullSize) { }

    /** The backfills that run, in their definitions' order. */
    public record Schedule(List<Backfill> backfills) {
        public Schedule {
            backfills = List.copyOf(backfills);
        }

        /** The versions of the migrations they follow. */
        public List<String> versions() {
            return backfills.stream().map(Backfill::after).distinct().toList();
        }

        /** The tables they walk. */
        public List<String> tables() {
            return backfills.stream().map(Backfill::table).distinct().toList();
        }

        /** Whether any backfill will run. */
        public boolean isEmpty() {
            return backfills.isEmpty();
        }
    }

    private final Schedule schedule;
    private final ShadowDatabase shadow;
    private final Settings settings;
    private final Statistics statistics;
    private final RehearsalListener listener;
    private final List<BackfillResult> results = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private long durationNanos;

    /**
     * The scheduled backfills, ready to run on the shadow at their migrations.
     *
     * @param statistics production's row counts, or {@code null}
     */
    public Backfills(Schedule schedule, ShadowDatabase shadow, Settings settings, Statistics statistics,
                     RehearsalListener listener) {
        this.schedule = schedule;
        this.shadow = shadow;
        this.settings = settings;
        this.statistics = statistics;
        this.listener = listener;
    }

    /**
     * The backfills whose migration is pending, checked against the migrations. One that follows a migration
     * production already has is skipped (it ran there); one that names no migration is a configuration error.
     */
    public static Schedule schedule(List<Backfill> all, List<String> pending, String baseline, RehearsalListener listener) {
        List<Backfill> scheduled = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Backfill backfill : all) {
            if (names.contains(backfill.name())) {
                throw new ConfigurationException("backfills", backfill.source() + ": a second backfill is named "
                        + backfill.name(), "give each backfill its own name");
            }
            names.add(backfill.name());
            if (pending.contains(backfill.after())) {
                scheduled.add(backfill);
            } else if (isVersion(backfill.after()) && MigrationVersion.fromVersion(backfill.after())
                    .compareTo(FlywayScripts.baselineVersion(baseline)) <= 0) {
                listener.info("Backfill " + backfill.name() + " skipped: it follows migration " + backfill.after()
                        + ", which production already has (baseline " + baseline + ")");
            } else {
                throw new ConfigurationException("backfills", backfill.source() + ": '-- after: " + backfill.after()
                        + "' names no pending migration; the pending versions are "
                        + (pending.isEmpty() ? "none" : String.join(", ", pending)),
                        "set -- after: to the version of the migration that makes the backfill possible");
            }
        }
        return new Schedule(scheduled);
    }

    private static boolean isVersion(String version) {
        return version.matches("[0-9]+([._][0-9]+)*");
    }

    @Override
    public List<String> versions() {
        return schedule.versions();
    }

    @Override
    public List<String> tables() {
        return schedule.tables();
    }

    /** Whether any backfill will run. */
    public boolean isEmpty() {
        return schedule.isEmpty();
    }

    @Override
    public void run(String version, Probes probes) {
        long start = System.nanoTime();
        try (Connection connection = shadow.connect(Purpose.BACKFILL)) {
            connection.setAutoCommit(false);
            for (Backfill backfill : schedule.backfills()) {
                if (backfill.after().equals(version)) {
                    rehearse(connection, backfill, probes);
                }
            }
        } catch (SQLException e) {
            throw new InfrastructureException("the backfill session on the shadow failed: " + e.getMessage(),
                    "check the shadow database's log", e);
        } finally {
            durationNanos += System.nanoTime() - start;
        }
    }

    private void rehearse(Connection connection, Backfill backfill, Probes probes) {
        if (settings.sampleSeconds() > 0) {
            sample(connection, backfill, probes);
            return;
        }
        try {
            listener.info("Backfill " + backfill.name() + " on " + backfill.table() + " in batches of " + backfill.batch());
            long tableRows = KeysetWalk.count(connection, backfill);
            BatchAdvice advice = settings.adviseBatch() ? advise(connection, backfill, probes) : null;
            Walk walk = KeysetWalk.walk(connection, backfill, backfill.batch(), Long.MAX_VALUE, true,
                    progress(backfill, tableRows));
            Boolean verified = verify(connection, backfill);
            Long rerunRows = walk.error() != null ? null
                    : KeysetWalk.walk(connection, backfill, backfill.batch(), Long.MAX_VALUE, true, KeysetWalk.Progress.NONE).rows();
            BackfillResult result = result(backfill, walk, probes.ran(), verified, rerunRows, advice);
            results.add(result);
            findings.addAll(findings(backfill, result));
            listener.info(String.format("Backfill %s: %,d rows in %,d batches, %s, %,.0f rows/s, batch p50/p95/max "
                            + "%s/%s/%s, probe stall %s", backfill.name(), result.rows(), result.batches(),
                    human(result.durationMs()), result.rowsPerSecond(), human(result.batchMs().p50()),
                    human(result.batchMs().p95()), human(result.batchMs().max()), human(result.probeStallMs())));
        } catch (SQLException e) {
            throw new ConfigurationException("backfills", backfill.source() + ": backfill " + backfill.name()
                    + " could not walk " + backfill.table() + "." + backfill.key() + ": " + e.getMessage(),
                    "check -- table:, -- key: (a numeric, indexed column) and -- verify:");
        }
    }

    /**
     * Runs batches spread across the key's range until the time box ends, and extrapolates the whole; the rows they
     * changed stay changed. The verify query isn't run (the rows not sampled are as they were); some of the sampled
     * batches run again instead, and must change nothing.
     */
    private void sample(Connection connection, Backfill backfill, Probes probes) {
        try {
            listener.info("Backfill " + backfill.name() + " on " + backfill.table() + " in batches of " + backfill.batch()
                    + ", sampled across the key's range for " + settings.sampleSeconds() + " s");
            BatchAdvice advice = settings.adviseBatch() ? advise(connection, backfill, probes) : null;
            KeySample.Sampled sampled = KeySample.sample(connection, backfill, backfill.batch(),
                    settings.sampleSeconds() * 1_000_000_000L, sampleProgress(backfill));
            Walk walk = sampled.walk();
            Long rerunRows = walk.error() != null ? null : rerun(connection, backfill, walk);
            List<Batch> batches = batches(walk, probes.ran());
            Long productionRows = settings.fullSize() || statistics == null ? sampled.keysEstimated()
                    : ProductionEstimates.size(statistics, backfill.table()).map(TableRows::rows).orElse(null);
            // Scaled by production's rows where the shadow is a sample of it; the shadow's own where it is production.
            double scale = productionRows == null || sampled.keysEstimated() == 0 ? 1
                    : (double) productionRows / sampled.keysEstimated();
            String basis = sampled.covered() ? "every batch ran within the time box" + (settings.fullSize() ? " on a "
                    + "full-size clone" : "") : String.format("extrapolated from %,d batches sampled across the key's "
                    + "range in %d s, %,d keys estimated from their density%s; range: 95 %% interval of the time per key",
                    walk.steps().size(), settings.sampleSeconds(), sampled.keysEstimated(),
                    settings.fullSize() ? ", on a full-size clone" : scale == 1 ? "" : ", scaled to production's rows");
            BackfillResult result = new BackfillResult(backfill.name(), backfill.after(), backfill.table(),
                    backfill.source(), backfill.batch(), batches.size(), walk.rows(), walk.durationNanos() / 1_000_000,
                    perSecond(walk.rows(), walk.durationNanos()), batchMs(walk.steps()),
                    batches.stream().mapToLong(Batch::probeStallMs).max().orElse(0), walk.keysRemaining(), null,
                    productionRows, Math.round(sampled.wholeMs() * scale), rerunRows, advice, walk.error(), batches,
                    new Range(Math.round(sampled.lowMs() * scale), Math.round(sampled.highMs() * scale)), basis,
                    new BackfillSample(settings.sampleSeconds(), sampled.keysEstimated(), sampled.covered()));
            results.add(result);
            findings.addAll(findings(backfill, result));
            listener.info(String.format("Backfill %s: %,d batches sampled, %,d rows in %,d ms, %,.0f rows/s, batch "
                            + "p50/p95/max %d/%d/%d ms, probe stall %,d ms; whole: about %s (%s to %s) for %,d keys",
                    backfill.name(), result.batches(), result.rows(), result.durationMs(), result.rowsPerSecond(),
                    result.batchMs().p50(), result.batchMs().p95(), result.batchMs().max(), result.probeStallMs(),
                    human(result.estimatedProductionMs()), human(result.estimatedProductionRange().low()),
                    human(result.estimatedProductionRange().high()), productionRows));
            listener.info("Backfill " + backfill.name() + ": verify query not run, the sample left the other rows as "
                    + "they were");
        } catch (SQLException e) {
            throw new ConfigurationException("backfills", backfill.source() + ": backfill " + backfill.name()
                    + " could not sample " + backfill.table() + "." + backfill.key() + ": " + e.getMessage(),
                    "check -- table: and -- key: (a numeric, indexed column)");
        }
    }

    /** Runs some of the sampled batches again, spread across them: the rows they change, 0 for an idempotent backfill. */
    private static long rerun(Connection connection, Backfill backfill, Walk walk) throws SQLException {
        List<Step> steps = walk.steps();
        int every = Math.max(1, (steps.size() + RERUN_SAMPLED - 1) / RERUN_SAMPLED);
        long changed = 0;
        for (int i = 0; i < steps.size(); i += every) {
            changed += backfill.run(connection, steps.get(i).from(), steps.get(i).to());
            connection.commit();
        }
        return changed;
    }

    private KeysetWalk.Progress sampleProgress(Backfill backfill) {
        long[] lastNanos = {System.nanoTime()};
        long box = settings.sampleSeconds() * 1_000_000_000L;
        return (steps, keys, rows, elapsedNanos) -> {
            long now = System.nanoTime();
            if (now - lastNanos[0] < PROGRESS_EVERY_NANOS) {
                return;
            }
            lastNanos[0] = now;
            listener.on(RehearsalEvent.progress(new RehearsalEvent.Progress("backfill " + backfill.name() + ", "
                    + steps + " batches sampled", keys, Math.min(100, 100.0 * elapsedNanos / box),
                    keys * 1e9 / Math.max(1, elapsedNanos), Duration.ofNanos(Math.max(0, box - elapsedNanos)))));
        };
    }

    private static List<Batch> batches(Walk walk, List<Probes.Probe> probes) {
        return walk.steps().stream().map(s -> new Batch(s.index(), s.from(), s.to(), s.rows(), s.durationMs(),
                Probes.stallMs(probes, s.startNanos(), s.endNanos()))).toList();
    }

    private static Boolean verify(Connection connection, Backfill backfill) throws SQLException {
        try {
            return backfill.verify(connection);
        } finally {
            connection.commit();
        }
    }

    private KeysetWalk.Progress progress(Backfill backfill, long tableRows) {
        long[] lastNanos = {System.nanoTime()};
        return (steps, keys, rows, elapsedNanos) -> {
            long now = System.nanoTime();
            if (now - lastNanos[0] < PROGRESS_EVERY_NANOS && keys < tableRows) {
                return;
            }
            lastNanos[0] = now;
            double perSecond = keys * 1e9 / Math.max(1, elapsedNanos);
            long left = Math.max(0, tableRows - keys);
            listener.on(RehearsalEvent.progress(new RehearsalEvent.Progress("backfill " + backfill.name() + ", "
                    + steps + " batches", keys, tableRows == 0 ? 100 : Math.min(100, 100.0 * keys / tableRows),
                    perSecond, Duration.ofMillis(perSecond == 0 ? 0 : Math.round(left * 1000 / perSecond)))));
        };
    }

    /**
     * Tries each size on the sample, each batch rolled back, and picks the largest that kept the probes' stall p95
     * in bounds, as every smaller one did: a larger size that happened to stall less after a smaller one stalled too
     * much is noise, not advice. Sizes above the sample's rows would only repeat its single batch, so they aren't tried.
     */
    private BatchAdvice advise(Connection connection, Backfill backfill, Probes probes) throws SQLException {
        List<Walk> walks = new ArrayList<>();
        for (int size : TRIAL_SIZES) {
            Walk walk = KeysetWalk.walk(connection, backfill, size, Math.max(TRIAL_KEYS, 5L * size), false,
                    KeysetWalk.Progress.NONE);
            walks.add(walk);
            if (walk.keys() < size) {
                break;
            }
        }
        List<Probes.Probe> ran = probes.ran();
        List<BatchTrial> trials = new ArrayList<>();
        for (int i = 0; i < walks.size(); i++) {
            Walk walk = walks.get(i);
            long[] stalls = walk.steps().stream().mapToLong(s -> Probes.stallMs(ran, s.startNanos(), s.endNanos())).toArray();
            trials.add(new BatchTrial(TRIAL_SIZES.get(i), walk.steps().size(), walk.rows(), perSecond(walk.rows(),
                    walk.durationNanos()), batchMs(walk.steps()), percentile(stalls, 95), percentile(stalls, 100)));
        }
        Integer recommended = trials.stream().takeWhile(t -> t.batches() > 0 && t.stallP95Ms() <= settings.maxStallMs())
                .map(BatchTrial::batch).reduce((a, b) -> b).orElse(null);
        listener.info("Batch sizes tried for " + backfill.name() + ": " + trials.stream().map(t -> String.format(
                "%,d: %,.0f rows/s, stall p95 %,d ms", t.batch(), t.rowsPerSecond(), t.stallP95Ms()))
                .collect(Collectors.joining("; ")) + "; recommended: " + (recommended == null ? "none" : recommended));
        return new BatchAdvice(recommended, trials);
    }

    private BackfillResult result(Backfill backfill, Walk walk, List<Probes.Probe> probes, Boolean verified,
                                  Long rerunRows, BatchAdvice advice) {
        List<Batch> batches = batches(walk, probes);
        long durationMs = walk.durationNanos() / 1_000_000;
        Long productionRows = statistics == null ? null
                : ProductionEstimates.size(statistics, backfill.table()).map(TableRows::rows).orElse(null);
        long stall = batches.stream().mapToLong(Batch::probeStallMs).max().orElse(0);
        if (settings.fullSize()) {
            return new BackfillResult(backfill.name(), backfill.after(), backfill.table(), backfill.source(),
                    backfill.batch(), batches.size(), walk.rows(), durationMs, perSecond(walk.rows(), walk.durationNanos()),
                    batchMs(walk.steps()), stall, walk.keysRemaining(), verified, walk.keys(), durationMs, rerunRows,
                    advice, walk.error(), batches, new Range(durationMs, durationMs), ProductionEstimates.MEASURED_ON_CLONE,
                    null);
        }
        return new BackfillResult(backfill.name(), backfill.after(), backfill.table(), backfill.source(),
                backfill.batch(), batches.size(), walk.rows(), durationMs, perSecond(walk.rows(), walk.durationNanos()),
                batchMs(walk.steps()), stall, walk.keysRemaining(), verified, productionRows, rerunRows,
                advice, walk.error(), batches);
    }

    private List<Finding> findings(Backfill backfill, BackfillResult result) {
        List<Finding> found = new ArrayList<>();
        String what = "Backfill " + backfill.name() + " (" + backfill.source() + ")";
        if (result.error() != null) {
            found.add(finding(Rule.BACKFILL_UNVERIFIED, backfill, String.format("%s failed at batch %d: %s; %,d rows of "
                            + "the key were left unwalked. Fix the backfill statement.", what, result.batches() + 1,
                    result.error(), result.rowsRemaining())));
        } else if (Boolean.FALSE.equals(result.verified())) {
            found.add(finding(Rule.BACKFILL_UNVERIFIED, backfill, what + " ran " + result.batches() + " batches changing "
                    + String.format("%,d", result.rows()) + " rows, but its verify query did not hold afterwards. Fix "
                    + "the statement so that it covers every row the verify query checks (mind NULLs and the key's range)."));
        }
        result.perBatch().stream().filter(b -> b.probeStallMs() > settings.maxStallMs())
                .max((a, b) -> Long.compare(a.probeStallMs(), b.probeStallMs()))
                .ifPresent(worst -> found.add(finding(Rule.BACKFILL_SLOW, backfill, String.format("%s: batch %d of %d "
                                + "(keys %d to %d, %,d rows changed in %s) stalled probes for %s, above maxStallMs %s. "
                                + "Safe alternative: smaller batches than %,d%s.", what, worst.index(), result.batches(),
                        worst.from() + 1, worst.to(), worst.rows(), human(worst.durationMs()), human(worst.probeStallMs()),
                        human(settings.maxStallMs()), backfill.batch(), advice(result)))));
        if (result.rerunRows() != null && result.rerunRows() > 0) {
            found.add(finding(Rule.NOT_IDEMPOTENT, backfill, String.format("%s changed %,d rows when run a second time "
                            + "after completing. Safe alternative: exclude rows already done in its WHERE clause "
                            + "(e.g. AND <column> IS NULL), so a restarted backfill doesn't redo or undo work.", what,
                    result.rerunRows())));
        }
        return found;
    }

    private static String advice(BackfillResult result) {
        return result.advice() == null || result.advice().recommended() == null ? ""
                : "; adviseBatch recommends " + String.format("%,d", result.advice().recommended());
    }

    private static Finding finding(Rule rule, Backfill backfill, String message) {
        return new Finding(rule, rule.defaultSeverity(), backfill.after(), null, backfill.table(), null, message);
    }

    /**
     * The backfills as they run on a copy of the shadow while estimates are calibrated: every batch committed, without
     * probes, advice or a second run.
     */
    public BackfillRuns onCopies() {
        return new BackfillRuns() {
            @Override
            public List<String> versions() {
                return schedule.versions();
            }

            @Override
            public List<String> tables() {
                return schedule.tables();
            }

            @Override
            public Map<String, Walked> run(String version, ShadowDatabase database) {
                Map<String, Walked> walked = new LinkedHashMap<>();
                try (Connection connection = database.connect(Purpose.CALIBRATION)) {
                    connection.setAutoCommit(false);
                    for (Backfill backfill : schedule.backfills()) {
                        if (backfill.after().equals(version)) {
                            long rows = KeysetWalk.count(connection, backfill);
                            Walk walk = KeysetWalk.walk(connection, backfill, backfill.batch(), Long.MAX_VALUE, true,
                                    KeysetWalk.Progress.NONE);
                            walked.put(backfill.name(), new Walked(rows, walk.steps().size(),
                                    walk.durationNanos() / 1e6, walk.error()));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("the backfills after " + version + " failed on a copy: "
                            + e.getMessage(), e);
                }
                return walked;
            }
        };
    }

    /** What ran, in order. */
    public List<BackfillResult> results() {
        return List.copyOf(results);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Time spent in backfills, batch sizes tried and re-runs included. */
    public long durationMs() {
        return durationNanos / 1_000_000;
    }

    static BatchMs batchMs(List<Step> steps) {
        long[] durations = steps.stream().mapToLong(Step::durationMs).toArray();
        return new BatchMs(percentile(durations, 50), percentile(durations, 95), percentile(durations, 100));
    }

    /** The nearest-rank percentile; 0 for no values. */
    /**
     * A {@code backfill-slow} finding when the backfill's production estimate exceeds {@code maxBackfillMs}; else
     * empty.
     */
    public static Optional<Finding> slowAtScale(BackfillResult result, Long maxBackfillMs) {
        if (maxBackfillMs == null || result.estimatedProductionMs() == null || result.estimatedProductionMs() <= maxBackfillMs) {
            return Optional.empty();
        }
        return Optional.of(new Finding(Rule.BACKFILL_SLOW, Rule.BACKFILL_SLOW.defaultSeverity(), result.after(), null,
                result.table(), null, String.format("Backfill %s (%s): at production size (%,d rows of %s) it would take "
                                + "about %s (%s to %s: %s), above maxBackfillMs %s. Safe alternative: run it as "
                                + "a background job outside the deployment, or make each batch cheaper (an index for "
                                + "its WHERE clause).", result.name(), result.source(), result.productionRows(),
                        result.table(), human(result.estimatedProductionMs()),
                        human(result.estimatedProductionRange().low()), human(result.estimatedProductionRange().high()),
                        result.estimateBasis(), human(maxBackfillMs))));
    }

    static long percentile(long[] values, int percent) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double perSecond(long rows, long nanos) {
        return nanos == 0 ? 0 : rows * 1e9 / nanos;
    }
}
