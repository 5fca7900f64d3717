package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Verdict;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.history.Fingerprints;
import dev.schemarehearsal.harness.history.History;
import dev.schemarehearsal.harness.lint.Agreement;
import dev.schemarehearsal.harness.migrate.Impact;
import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.report.Reports;
import dev.schemarehearsal.harness.shadow.Shadows;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles the result: every finding, fingerprinted and, with a history, marked new or known, ranked by its impact
 * on production, the verdict by {@code failOn}, lint's agreement with the measurement, the plan fidelity score and
 * what the history adds; or, when a stage {@linkplain Stopped stopped} the rehearsal, what ran and why. Its phase
 * times that; the outputs, which carry every phase, the report's included, are written once after it
 * ({@link #write}).
 */
public final class Report implements Stage {
    static final Product<RehearsalResult> RESULT = new Product<>("the rehearsal's result");

    private final Stopped stopped;

    /** The report of a rehearsal whose every stage ran. */
    public Report() {
        this(null);
    }

    /** The report of a rehearsal a stage stopped: what ran, and why it stopped. */
    public Report(Stopped stopped) {
        this.stopped = stopped;
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public void run(RunContext run) {
        RehearsalResult result = stopped == null ? complete(run) : stopped(run);
        if (run.config().history() != null) {
            Prepare.Inputs inputs = run.get(Prepare.INPUTS);
            History.Compared compared = run.get(HistoryOfRuns.HISTORY).compare(result, inputs.statistics(),
                    inputs.productionPlans());
            run.put(HistoryOfRuns.COMPARED, compared);
            result = compared.result();
        }
        run.put(RESULT, result);
    }

    /** The findings fingerprinted and, with a history, marked new or known, before {@code failOn} judges them. */
    private static List<Finding> marked(RunContext run, List<Finding> findings, List<MigrationResult> migrations) {
        List<Finding> fingerprinted = Fingerprints.assign(findings, migrations);
        return run.config().history() == null ? fingerprinted : run.get(HistoryOfRuns.HISTORY).mark(fingerprinted);
    }

    private RehearsalResult complete(RunContext run) {
        RehearsalConfig config = run.config();
        LintResult lint = run.get(Baseline.PENDING).lint();
        Migrate.Migrated migrated = run.get(Migrate.MIGRATED);
        Estimate.Estimated estimated = run.get(Estimate.ESTIMATED);
        QueryPlans.Outcome planned = run.get(PlansAfter.QUERIES);
        List<Finding> findings = new ArrayList<>(rationale(lint));
        findings.addAll(migrated.findings());
        findings.addAll(run.get(Backfilling.BACKFILLS).findings());
        findings.addAll(estimated.findings());
        findings.addAll(planned.findings());
        // Fingerprinted in the order found, which is the same every night, before the ranking by measured impact.
        findings = Impact.rank(marked(run, findings, estimated.migrations()), estimated.migrations());
        List<Finding> failures = findings.stream().filter(config.limits().failOn()::matches).toList();
        boolean failed = !failures.isEmpty() || findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        RehearsalResult result = new RehearsalResult(RehearsalResult.Tool.harness(), failed ? Verdict.FAIL : Verdict.PASS,
                shadow(run), List.of(), run.get(Load.DATA), estimated.migrations(), findings, failures, migrated.timeline(),
                estimated.backfills(), lint, Agreement.compare(lint, estimated.migrations(), findings),
                planned.queries(), RehearsalResult.Fidelity.of(planned.queries()));
        if (result.fidelity() != null) {
            run.listener().info("Plan fidelity: " + result.fidelity().summary() + (result.fidelity().different().isEmpty()
                    ? "" : "; uncertain verdicts for " + String.join(", ", result.fidelity().different())));
        }
        return result;
    }

    /**
     * The stop's findings first, as they are the news, then what lint found of the rationale; the stop's findings
     * fail the build whatever {@code failOn} says. Nothing was loaded, planned or measured.
     */
    private RehearsalResult stopped(RunContext run) {
        LintResult lint = run.get(Prepare.INPUTS).lint();
        List<Finding> stop = marked(run, stopped.findings(), stopped.migrations());
        List<Finding> findings = new ArrayList<>(stop);
        findings.addAll(marked(run, rationale(lint), stopped.migrations()));
        List<Finding> failures = findings.stream().filter(f -> stop.contains(f)
                || run.config().limits().failOn().matches(f)).toList();
        return new RehearsalResult(RehearsalResult.Tool.harness(), Verdict.FAIL, shadow(run), List.of(),
                new RehearsalResult.Data(List.of()), stopped.migrations(), findings, failures,
                RehearsalResult.Timeline.EMPTY, List.of(), lint, List.of(), List.of(), null, stopped.stage());
    }

    private static List<Finding> rationale(LintResult lint) {
        return lint.findings().stream().map(LintResult.LintFinding::finding)
                .filter(f -> f.rule() == Rule.MISSING_RATIONALE).toList();
    }

    private static RehearsalResult.Shadow shadow(RunContext run) {
        Shadows.Opened opened = run.get(Start.SHADOW);
        return new RehearsalResult.Shadow(opened.database().kind(), run.config().shadow().engine(),
                opened.database().serverVersion(), opened.reason());
    }

    /** Writes the outputs, with every phase the run timed; returns the result as written. */
    public static RehearsalResult write(RunContext run) {
        RehearsalResult result = run.get(RESULT).withPhases(run.phases());
        Reports.write(result, run.config());
        return result;
    }
}
