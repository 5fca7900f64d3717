package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.migrate.AfterMigration;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;

import java.util.List;
import java.util.OptionalLong;

/**
 * Applies the pending migrations one by one while the probe workload runs, tracing each statement; plans the queries a
 * migration touches after it and runs the backfills at the migrations they follow. First it keeps a copy of the shadow
 * as the migrations find it, for {@link Estimate}. Which tool produced the migrations is the pending migrations'
 * source's business.
 */
public final class Migrate implements Stage {
    static final Product<Migrated> MIGRATED = new Product<>("the migrations as applied");
    static final Product<QueryPlans.Replanned> REPLANNED = new Product<>("the plans after each migration");

    static final Product<BaselineCopy> BASELINE_COPY = new Product<>("the copy of the shadow before the migrations");

    /**
     * What applying the pending migrations did.
     *
     * @param migrations as traced
     * @param findings   the findings of their statements, atomicity and repeatable migrations, and a failure last
     */
    record Migrated(List<MigrationResult> migrations, List<Finding> findings, Timeline timeline) {
        Migrated {
            migrations = List.copyOf(migrations);
            findings = List.copyOf(findings);
        }
    }

    /**
     * A scratch copy of the shadow as the pending migrations found it, for {@link Estimate} to calibrate on; its
     * database {@code null} without a statistics snapshot (nothing is estimated) or when it could not be made.
     */
    record BaselineCopy(ShadowDatabase database) { }

    private final Backfilling backfill;

    /** @param backfill the stage whose backfills run at the migrations they follow */
    public Migrate(Backfilling backfill) {
        this.backfill = backfill;
    }

    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public void run(RunContext run) {
        Baseline.Pending pending = run.get(Baseline.PENDING);
        AfterMigration backfills = backfill.schedule(run);
        PlansBefore.Plans plans = run.get(PlansBefore.PLANS);
        QueryPlans.Replanning replanning = plans.planner().replanning(plans.before());
        RehearsalConfig.Limits limits = run.config().limits();
        run.put(BASELINE_COPY, new BaselineCopy(baselineCopy(run)));
        MigrationRunner.Outcome outcome = new MigrationRunner(pending.source(), run.shadow(), run.listener(),
                run.get(Prepare.INPUTS).queries()).applyPending(pending.migrations(), limits.maxLockMs(),
                limits.maxStallMs(), backfills, replanning::afterMigration);
        run.put(MIGRATED, new Migrated(outcome.migrations(), outcome.findings(), outcome.timeline()));
        run.put(REPLANNED, replanning.replanned());
    }

    /**
     * A copy of the shadow before the migrations change it, where production estimates will be made; {@code null}
     * without a statistics snapshot, or when the copy can't be made (the estimates are then only scaled, and the log
     * says why).
     */
    private static ShadowDatabase baselineCopy(RunContext run) {
        // On a clone the estimates are the measurements: nothing to calibrate.
        if (run.config().shadow().isClone() || run.get(Prepare.INPUTS).statistics() == null
                || run.get(Baseline.PENDING).migrations().isEmpty()) {
            return null;
        }
        try {
            ShadowDatabase copy = run.shadow().scratchCopy(table -> true);
            run.removeWithShadow(copy);
            return copy;
        } catch (InfrastructureException e) {
            run.listener().warn("Production estimates will not be calibrated, the shadow could not be copied: "
                    + e.getMessage());
            return null;
        }
    }

    /** The backfills ran between the migrations: their time is their own phase, not the migrations'. */
    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.of(ranMs - backfill.spentMs());
    }
}
