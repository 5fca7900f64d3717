package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Run;
import dev.schemarehearsal.harness.api.RunHistory;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.history.Records.Reading;
import dev.schemarehearsal.harness.history.Records.Stored;
import dev.schemarehearsal.harness.plan.ProductionPlans;
import dev.schemarehearsal.harness.report.Reports;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The history of runs ({@code history}): read once before a rehearsal's report, so that its findings are marked new or
 * known against the previous run of the same branch and its figures drawn as trends; then the run is appended and the
 * branch's runs beyond {@code historyKeep} are deleted. Also renders the history on its own ({@link #render}).
 *
 * <pre>{@code
 * History history = History.open(config.history(), config.projectDirectory(), listener);
 * List<Finding> marked = history.mark(Fingerprints.assign(findings, migrations));
 * History.Compared compared = history.compare(result, statistics, productionPlans);
 * history.append(compared.record());
 * }</pre>
 */
public final class History {
    private final RehearsalConfig.History config;
    private final Store store;
    private final Reading reading;
    private final Revision revision;
    private final RehearsalListener listener;

    private History(RehearsalConfig.History config, Store store, Reading reading, Revision revision,
                    RehearsalListener listener) {
        this.config = config;
        this.store = store;
        this.reading = reading;
        this.revision = revision;
        this.listener = listener;
    }

    /**
     * Reads the history and the project's git commit and branch, and says what this run is compared with; each
     * record that cannot be read is said in a warning, and left where it is.
     *
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code history} for a URL of an engine the
     *                                                                 tool doesn't know
     * @throws dev.schemarehearsal.harness.api.InfrastructureException when the folder or database cannot be read
     */
    public static History open(RehearsalConfig.History config, Path projectDirectory, RehearsalListener listener) {
        return open(config, Revision.of(projectDirectory, System.getenv()), listener);
    }

    static History open(RehearsalConfig.History config, Revision revision, RehearsalListener listener) {
        Store store = Store.of(config);
        Reading reading = store.read();
        reading.skipped().forEach(listener::warn);
        History history = new History(config, store, reading, revision, listener);
        RunRecord previous = history.previous();
        String branch = history.revision.branch() == null ? "no branch" : "branch " + history.revision.branch();
        listener.info("History: " + config.describe() + " holds " + history.branchRuns().size() + " run(s) of " + branch
                + (previous == null ? ": this is its first, so every finding is new"
                : "; findings are compared with its last, " + describe(previous)));
        return history;
    }

    /** The findings, fingerprinted, each marked new or known against the previous run of the branch. */
    public List<Finding> mark(List<Finding> findings) {
        RunRecord previous = previous();
        return findings.stream().map(f -> Comparison.mark(f, previous)).toList();
    }

    /** A result compared with the history, and the record of it that {@link #append} keeps. */
    public record Compared(RehearsalResult result, RunRecord record) { }

    /**
     * The result with what the history adds: the findings the previous run had and this one hasn't, the trends, the
     * summary of what changed, and the drift of production's own plans.
     *
     * @param result     the result, its findings {@link #mark marked}
     * @param statistics production's statistics snapshot, or {@code null}
     * @param plans      production's plans of the queries, or {@code null}
     */
    public Compared compare(RehearsalResult result, StatisticsSnapshot statistics, ProductionPlans plans) {
        RunRecord record = RunRecords.of(result, statistics, plans, revision, Instant.now());
        List<RunRecord> earlier = branchRuns().stream().map(Stored::record).toList();
        Comparison comparison = new Comparison(earlier, record);
        RunRecord previous = previous();
        RehearsalResult.History history = new RehearsalResult.History(config.describe(), revision.branch(),
                revision.commit(), previous == null ? null : run(previous), earlier.size() + 1, reading.skipped(),
                comparison.summary());
        return new Compared(result.withHistory(history, comparison.resolved(), comparison.trends(), comparison.drift()),
                record);
    }

    /**
     * Appends the run, then deletes the branch's oldest runs beyond {@code historyKeep}: only those this version read,
     * never a record it skipped. Another job's runs appended meanwhile are left to its own retention.
     */
    public void append(RunRecord record) {
        Stored stored = store.append(record);
        List<Stored> runs = new ArrayList<>(branchRuns());
        runs.add(stored);
        List<Stored> old = runs.size() > config.keep() ? runs.subList(0, runs.size() - config.keep()) : List.of();
        store.delete(old);
        listener.info("History: this run appended to " + config.describe() + "; " + (runs.size() - old.size())
                + " run(s) of " + (record.branch() == null ? "no branch" : "branch " + record.branch()) + " kept"
                + (old.isEmpty() ? "" : ", " + old.size() + " older deleted (historyKeep " + config.keep() + ")"));
    }

    /**
     * Renders the history alone, without rehearsing: {@code history.html} and {@code history.json} in the directory,
     * every run newest first and each branch's trends. Nothing is appended or deleted.
     *
     * @return the files written
     */
    public static List<Path> render(RehearsalConfig.History config, Path reportDirectory, RehearsalListener listener) {
        Reading reading = Store.of(config).read();
        reading.skipped().forEach(listener::warn);
        Map<String, List<RunRecord>> byBranch = new LinkedHashMap<>();
        reading.runs().forEach(s -> byBranch.computeIfAbsent(s.record().branch(), b -> new ArrayList<>())
                .add(s.record()));
        List<RunHistory.Branch> branches = byBranch.entrySet().stream()
                .map(e -> new RunHistory.Branch(e.getKey(), e.getValue().size(), Comparison.trends(e.getValue(), null)))
                .toList();
        List<Run> runs = new ArrayList<>(reading.runs().stream().map(s -> run(s.record())).toList());
        Collections.reverse(runs);
        List<Path> files = Reports.writeHistory(new RunHistory(config.describe(), runs, branches, reading.skipped()),
                reportDirectory);
        listener.info("History: " + runs.size() + " run(s) of " + branches.size() + " branch(es) in "
                + config.describe() + (reading.skipped().isEmpty() ? "" : ", " + reading.skipped().size() + " skipped"));
        return files;
    }

    private List<Stored> branchRuns() {
        return reading.runs().stream().filter(s -> Objects.equals(s.record().branch(), revision.branch())).toList();
    }

    /** The branch's newest run, or {@code null}. */
    private RunRecord previous() {
        List<Stored> runs = branchRuns();
        return runs.isEmpty() ? null : runs.get(runs.size() - 1).record();
    }

    private static Run run(RunRecord record) {
        return new Run(record.at(), record.commit(), record.branch(), record.verdict());
    }

    private static String describe(RunRecord run) {
        return run.at() + (run.commit() == null ? "" : " at " + run.commit().substring(0, Math.min(12, run.commit().length())))
                + " (" + run.verdict() + ")";
    }
}
