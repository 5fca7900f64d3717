package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.backfill.BackfillFiles;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.lint.Lint;
import dev.schemarehearsal.harness.migrate.GitBaselines;
import dev.schemarehearsal.harness.migrate.MigrationSource;
import dev.schemarehearsal.harness.plan.ProductionPlans;
import dev.schemarehearsal.harness.plan.QueriesFile;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads and checks the project's files before anything starts, so a typo costs a second, not a container start: the
 * baseline, lint's view of the pending migrations, the statistics snapshot, the backfills, the queries and
 * production's plans of them. Not a phase of its own.
 */
public final class Prepare implements Stage {
    static final Product<Inputs> INPUTS = new Product<>("the project's files");

    /**
     * The project's files as read.
     *
     * @param lint            lint's view of the pending migrations, or {@code null} until the baseline is read from a
     *                        clone
     * @param statistics      production's statistics snapshot, or {@code null}
     * @param backfills       the backfills of the files and those written in code
     * @param productionPlans production's plans of the queries, or {@code null}
     */
    record Inputs(LintResult lint, StatisticsSnapshot statistics, List<Backfill> backfills, List<Query> queries,
                  ProductionPlans productionPlans) {
        Inputs {
            backfills = List.copyOf(backfills);
            queries = List.copyOf(queries);
        }
    }

    @Override
    public String name() {
        return "prepare";
    }

    @Override
    public void run(RunContext run) {
        RehearsalConfig config = run.config();
        // On a clone without a baseline, production's version is read from the clone: lint waits for it.
        LintResult lint = null;
        if (config.migrations().baseline() != null) {
            MigrationSource.checkBaseline(config.migrations());
            GitBaselines.log(config.migrations().gitBaseline(), run.listener());
            lint = lint(config, run);
        }
        // A clone has production's own statistics.
        StatisticsSnapshot snapshot = config.data().statistics() == null || config.shadow().isClone() ? null
                : StatisticsFile.read(config.data().statistics());
        List<Backfill> backfills = new ArrayList<>(BackfillFiles.read(config.backfills().folder()));
        backfills.addAll(config.backfills().inCode());
        List<Query> queries = config.plans().queries() == null ? List.of() : QueriesFile.read(config.plans().queries());
        ProductionPlans production = config.plans().productionPlans() == null || queries.isEmpty() ? null
                : ProductionPlans.read(config.plans().productionPlans());
        run.put(INPUTS, new Inputs(lint, snapshot, backfills, queries, production));
    }

    /** Lint's view of the pending migrations, once the baseline is known. */
    static LintResult lint(RehearsalConfig config, RunContext run) {
        LintResult lint = Lint.run(config);
        run.listener().info("Lint: " + lint.findings().size() + " finding(s) before the rehearsal; the measurement decides");
        return lint;
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.empty();
    }
}
