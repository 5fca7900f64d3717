package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.backfill.Backfills;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import dev.schemarehearsal.harness.migrate.WindowFindings;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Estimates each statement, lock window and backfill at production size, calibrating those whose estimate matters on
 * copies of the shadow at several sizes ({@link ProductionEstimates}), and judges each lock window; then removes the copy of the shadow {@link Migrate} kept. A
 * phase only when something was calibrated.
 */
public final class Estimate implements Stage {
    static final Product<Estimated> ESTIMATED = new Product<>("the production estimates");

    /**
     * The migrations and backfills with their production estimates.
     *
     * @param findings the {@code blocking-lock} and {@code long-lock-at-scale} findings of the migrations' lock windows,
     *                 measured and at production size, and the {@code backfill-slow} findings of the estimates
     */
    record Estimated(List<MigrationResult> migrations, List<BackfillResult> backfills, List<Finding> findings) {
        Estimated {
            migrations = List.copyOf(migrations);
            backfills = List.copyOf(backfills);
            findings = List.copyOf(findings);
        }
    }

    private final Backfilling backfill;
    private boolean calibrated;

    /** @param backfill the stage whose backfills run on the copies too */
    public Estimate(Backfilling backfill) {
        this.backfill = backfill;
    }

    @Override
    public String name() {
        return "estimate";
    }

    @Override
    public void run(RunContext run) {
        RehearsalConfig config = run.config();
        Baseline.Pending pending = run.get(Baseline.PENDING);
        ShadowDatabase copy = run.get(Migrate.BASELINE_COPY).database();
        try {
            // On a clone every duration is production's own.
            ProductionEstimates.Outcome outcome = config.shadow().isClone()
                    ? new ProductionEstimates.Outcome(ProductionEstimates.measured(run.get(Migrate.MIGRATED).migrations()),
                    run.get(Backfilling.BACKFILLS).results(), false)
                    : ProductionEstimates.apply(run.dialect(),
                    run.get(Migrate.MIGRATED).migrations(), run.get(Backfilling.BACKFILLS).results(),
                    new ProductionEstimates.Inputs(pending.source(), pending.migrations(), copy, backfill.onCopies(),
                            run.get(Load.DATA).statistics(), run.get(Prepare.INPUTS).statistics(),
                            config.limits().maxLockMs(), config.plans().maxPaddingMb()), run.listener());
            calibrated = outcome.calibrated();
            List<Finding> findings = new ArrayList<>(new WindowFindings(run.dialect(), config.limits().maxLockMs(),
                    config.limits().maxStallMs()).of(outcome.migrations(), run.get(Load.DATA).statistics()));
            outcome.backfills().forEach(b -> Backfills.slowAtScale(b, config.limits().maxBackfillMs())
                    .ifPresent(findings::add));
            run.put(ESTIMATED, new Estimated(outcome.migrations(), outcome.backfills(), findings));
        } finally {
            if (copy != null) {
                copy.close();
            }
        }
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return calibrated ? OptionalLong.of(ranMs) : OptionalLong.empty();
    }
}
