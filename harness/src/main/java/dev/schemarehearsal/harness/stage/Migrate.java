package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.migrate.AfterMigration;
import dev.schemarehearsal.harness.migrate.LockWindows;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import dev.schemarehearsal.harness.migrate.WindowFindings;
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
     * @param migrations as traced, with production-size estimates of their statements and lock windows
     * @param findings   the findings of their statements, atomicity and repeatable migrations, and a failure last
     * @param locks      the findings of their lock windows, measured and at production size
     */
    record Migrated(List<MigrationResult> migrations, List<Finding> findings, List<Finding> locks, Timeline timeline) {
        Migrated {
            migrations = List.copyOf(migrations);
            findings = List.copyOf(findings);
            locks = List.copyOf(locks);
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
        Statistics statistics = run.get(Load.DATA).statistics();
        // On a clone every duration is production's own.
        List<MigrationResult> estimated = (run.config().shadow().isClone()
                ? ProductionEstimates.measured(outcome.migrations())
                : ProductionEstimates.apply(outcome.migrations(), statistics)).stream()
                .map(LockWindows::atProductionSize).toList();
        List<Finding> locks = new WindowFindings(run.dialect(), limits.maxLockMs(), limits.maxStallMs())
                .of(estimated, statistics);
        run.put(MIGRATED, new Migrated(estimated, outcome.findings(), locks, outcome.timeline()));
        run.put(REPLANNED, replanning.replanned());
    }

    /** The backfills ran between the migrations: their time is their own phase, not the migrations'. */
    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.of(ranMs - backfill.spentMs());
    }
}
