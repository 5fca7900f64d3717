package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.backfill.Backfills;
import dev.schemarehearsal.harness.migrate.AfterMigration;
import dev.schemarehearsal.harness.migrate.BackfillRuns;

import java.util.List;
import java.util.OptionalLong;

/**
 * The backfills: scheduled after the migrations they follow, run by {@link Migrate} right after each of those (while
 * the probes run), their results and time their own. A phase only when there are backfills to run.
 */
public final class Backfilling implements Stage {
    static final Product<Backfilled> BACKFILLS = new Product<>("the backfills' results");

    /** What the backfills did, in the order they ran. */
    record Backfilled(List<BackfillResult> results, List<Finding> findings) {
        Backfilled {
            results = List.copyOf(results);
            findings = List.copyOf(findings);
        }
    }

    private Backfills scheduled;

    /**
     * The backfills of the pending migrations, checked against them, for {@link Migrate} to run at their migrations.
     *
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code backfills} for a backfill that
     *                                                                follows no pending migration
     */
    AfterMigration schedule(RunContext run) {
        RehearsalConfig config = run.config();
        Baseline.Pending pending = run.get(Baseline.PENDING);
        Backfills.Schedule schedule = Backfills.schedule(run.get(Prepare.INPUTS).backfills(), pending.versions(),
                pending.baseline(), run.listener());
        scheduled = new Backfills(schedule, run.shadow(), new Backfills.Settings(config.limits().maxStallMs(),
                config.limits().maxBackfillMs(), config.backfills().adviseBatch(),
                config.backfills().sampleSeconds(), config.shadow().isClone()), run.get(Load.DATA).statistics(),
                run.listener());
        return scheduled;
    }

    /** The backfills as they run on copies of the shadow, for their production estimates. */
    BackfillRuns onCopies() {
        return scheduled().onCopies();
    }

    /** The time spent in backfills so far. */
    long spentMs() {
        return scheduled == null ? 0 : scheduled.durationMs();
    }

    @Override
    public String name() {
        return "backfill";
    }

    @Override
    public void run(RunContext run) {
        run.put(BACKFILLS, new Backfilled(scheduled().results(), scheduled().findings()));
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return scheduled().isEmpty() ? OptionalLong.empty() : OptionalLong.of(scheduled().durationMs());
    }

    private Backfills scheduled() {
        if (scheduled == null) {
            throw new IllegalStateException("the backfills are read before Migrate scheduled them: the stages run out "
                    + "of order");
        }
        return scheduled;
    }
}
