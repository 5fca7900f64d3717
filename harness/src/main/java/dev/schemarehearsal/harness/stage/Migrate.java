package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.migrate.AfterMigration;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import dev.schemarehearsal.harness.plan.QueryPlans;

import java.util.List;
import java.util.OptionalLong;

/**
 * Applies the pending migrations one by one while the probe workload runs, tracing each statement; plans the queries a
 * migration touches after it, runs the backfills at the migrations they follow, and estimates each statement at
 * production size. Which tool produced the migrations is the pending migrations' source's business.
 */
public final class Migrate implements Stage {
    static final Product<Migrated> MIGRATED = new Product<>("the migrations as applied");
    static final Product<QueryPlans.Replanned> REPLANNED = new Product<>("the plans after each migration");

    /**
     * What applying the pending migrations did.
     *
     * @param migrations as traced, with production-size estimates
     * @param findings   the findings of their statements, atomicity and repeatable migrations, and a failure last
     * @param atScale    the findings of the production-size estimates
     */
    record Migrated(List<MigrationResult> migrations, List<Finding> findings, List<Finding> atScale, Timeline timeline) {
        Migrated {
            migrations = List.copyOf(migrations);
            findings = List.copyOf(findings);
            atScale = List.copyOf(atScale);
        }
    }

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
        MigrationRunner.Outcome outcome = new MigrationRunner(pending.source(), run.shadow(), run.listener(),
                run.get(Prepare.INPUTS).queries()).applyPending(pending.migrations(), limits.maxLockMs(),
                limits.maxStallMs(), backfills, replanning::afterMigration);
        ProductionEstimates.Outcome estimates = run.config().shadow().isClone()
                ? ProductionEstimates.measured(outcome.migrations())
                : ProductionEstimates.apply(run.dialect(), outcome.migrations(), run.get(Load.DATA).statistics(),
                limits.maxLockMs());
        run.put(MIGRATED, new Migrated(estimates.migrations(), outcome.findings(), estimates.findings(),
                outcome.timeline()));
        run.put(REPLANNED, replanning.replanned());
    }

    /** The backfills ran between the migrations: their time is their own phase, not the migrations'. */
    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.of(ranMs - backfill.spentMs());
    }
}
