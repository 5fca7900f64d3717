package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The history as a folder: what a run reads, marks and appends, retention, and records it cannot read. */
class HistoryTest {
    private static final Finding LOCK = Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "orders", "blocks writes");
    private static final Finding DROP = Finding.ofMigration(Rule.DESTRUCTIVE_CHANGE, "12", 1, "orders", "drops");

    @TempDir
    Path project;

    private final List<RehearsalEvent> events = new ArrayList<>();

    private RehearsalConfig.History config(int keep) {
        return RehearsalConfig.History.parse(project, "true", null, null, keep);
    }

    /** One run on the branch: read, mark, compare, append; returns the result as the reports get it. */
    private RehearsalResult run(int keep, Revision revision, List<Finding> findings) {
        History history = History.open(config(keep), revision, events::add);
        List<Finding> marked = history.mark(Fingerprints.assign(findings, List.of(Runs.v12(400, null))));
        RehearsalResult result = Runs.result(List.of(Runs.v12(400, null)), List.of(), List.of());
        History.Compared compared = history.compare(new RehearsalResult(result.tool(), result.verdict(), result.shadow(),
                result.phases(), result.data(), result.migrations(), marked, List.of(), result.timeline(),
                result.backfills(), result.lint(), result.disagreements(), result.queries(), result.fidelity()),
                Runs.statistics(120_000_000), null);
        history.append(compared.record());
        return compared.result();
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(project.resolve(".schema-rehearsal/history"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void trueIsAFolderInTheProjectAndAURLIsADatabase() {
        assertThat(config(90).folder()).isEqualTo(project.resolve(".schema-rehearsal/history"));
        assertThat(RehearsalConfig.History.parse(project, "build/runs", null, null, 5).folder())
                .isEqualTo(project.resolve("build/runs"));
        RehearsalConfig.History database = RehearsalConfig.History.parse(project,
                "jdbc:postgresql://ci:5432/history?password=secret", "ci", "pw", 90);
        assertThat(database.url()).startsWith("jdbc:postgresql:");
        assertThat(database.describe()).isEqualTo("jdbc:postgresql://ci:5432/history?password=***");
        assertThat(database.toString()).doesNotContain("secret").doesNotContain("pw");
        assertThat(RehearsalConfig.History.parse(project, " false ", null, null, 90)).isNull();
        assertThat(RehearsalConfig.History.parse(project, null, null, null, 90)).isNull();
    }

    @Test
    void eachRunIsMarkedAgainstThePreviousRunOfItsBranch() throws Exception {
        RehearsalResult first = run(90, Runs.MAIN, List.of(LOCK, DROP));
        assertThat(first.history().previous()).isNull();
        assertThat(first.history().runs()).isEqualTo(1);
        assertThat(first.findings()).extracting(Finding::history).containsOnly(Novelty.NEW);
        assertThat(events.get(0).message()).isEqualTo("History: " + project.resolve(".schema-rehearsal/history")
                + " holds 0 run(s) of branch main: this is its first, so every finding is new");

        RehearsalResult second = run(90, Runs.MAIN, List.of(LOCK));
        assertThat(second.history().previous().commit()).isEqualTo(Runs.MAIN.commit());
        assertThat(second.history().runs()).isEqualTo(2);
        assertThat(second.findings()).extracting(Finding::history).containsExactly(Novelty.KNOWN);
        assertThat(second.resolvedFindings()).extracting(Finding::rule).containsExactly(Rule.DESTRUCTIVE_CHANGE);

        // Another branch's previous run is not this branch's.
        RehearsalResult feature = run(90, new Revision("fe", "feature"), List.of(LOCK));
        assertThat(feature.history().previous()).isNull();
        assertThat(feature.findings()).extracting(Finding::history).containsExactly(Novelty.NEW);

        assertThat(files()).hasSize(3).allMatch(f -> f.getFileName().toString().endsWith(".json"));
    }

    @Test
    void retentionKeepsTheNewestRunsOfTheBranchAndNothingItCouldNotRead() throws Exception {
        Path folder = Files.createDirectories(project.resolve(".schema-rehearsal/history"));
        Files.writeString(folder.resolve("2020-01-01T00-00-00.000Z-newer.json"),
                "{\"format\": 9, \"at\": \"2020-01-01T00:00:00.000Z\"}");
        Files.writeString(folder.resolve("2020-01-01T00-00-00.000Z-broken.json"), "{\"format\": 1, ");
        Files.writeString(folder.resolve(".2020-01-01T00-00-00.000Z-torn.json.partial"), "{\"form");
        Files.writeString(folder.resolve("notes.txt"), "kept by people");
        run(2, new Revision("fe", "feature"), List.of());
        for (int i = 0; i < 4; i++) {
            run(2, Runs.MAIN, List.of(LOCK));
        }

        List<String> names = files().stream().map(f -> f.getFileName().toString()).toList();
        assertThat(names).contains("2020-01-01T00-00-00.000Z-newer.json", "2020-01-01T00-00-00.000Z-broken.json",
                ".2020-01-01T00-00-00.000Z-torn.json.partial", "notes.txt").hasSize(4 + 1 + 2);
        History history = History.open(config(2), Runs.MAIN, events::add);
        assertThat(history.mark(Fingerprints.assign(List.of(LOCK), List.of()))).isNotEmpty();
        assertThat(events).extracting(RehearsalEvent::message).contains(
                "History record " + folder.resolve("2020-01-01T00-00-00.000Z-newer.json") + " was written by a newer "
                        + "schema-rehearsal (format 9; this version reads up to 1): skipped, left in place",
                "History: this run appended to " + folder + "; 2 run(s) of branch main kept, 1 older deleted "
                        + "(historyKeep 2)")
                .anyMatch(m -> m.startsWith("History record " + folder.resolve("2020-01-01T00-00-00.000Z-broken.json")
                        + " is unreadable (not JSON: "));
    }

    @Test
    void twoJobsAppendingAtOnceLoseNothing() throws Exception {
        RunRecord record = Runs.record(Runs.result(List.of(), List.of(), List.of()), null, null,
                "2026-01-05T02:14:07.125Z");
        FolderStore store = new FolderStore(project.resolve("runs"));
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> appends = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                appends.add(jobs.submit(() -> store.append(record)));
            }
            for (Future<?> append : appends) {
                append.get();
            }
        } finally {
            jobs.shutdown();
        }
        Records.Reading reading = store.read();
        assertThat(reading.runs()).hasSize(40).extracting(Records.Stored::id).doesNotHaveDuplicates();
        assertThat(reading.skipped()).isEmpty();
    }
}
