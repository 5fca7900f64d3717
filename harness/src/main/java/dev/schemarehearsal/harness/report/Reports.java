package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RunHistory;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.api.Severity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes every output of a rehearsal into the report directory. */
public final class Reports {
    public static final String HTML = "report.html";
    public static final String JSON = "report.json";
    public static final String JUNIT = "TEST-schema-rehearsal.xml";
    public static final String MARKDOWN = "summary.md";
    public static final String SARIF = "findings.sarif";
    public static final String LINT_JSON = "lint.json";
    public static final String LINT_SARIF = "lint.sarif";
    public static final String HISTORY_HTML = "history.html";
    public static final String HISTORY_JSON = "history.json";

    private Reports() {
    }

    /** Writes the outputs into the configuration's report directory; returns their paths, as {@link #paths}. */
    public static List<Path> write(RehearsalResult result, RehearsalConfig config) {
        Path directory = config.outputs().reportDirectory();
        try {
            Files.createDirectories(directory);
            JsonReport.write(result, directory.resolve(JSON));
            HtmlReport.write(result, directory.resolve(HTML));
            JUnitReport.write(result, directory.resolve(JUNIT));
            MarkdownSummary.write(result, directory.resolve(MARKDOWN));
            MigrationSources sources = new MigrationSources(config.projectDirectory(), config.migrations().locations());
            Sarif.write(result.tool().name(), result.tool().version(), sources.locate(result.findings(), result),
                    result.history() == null ? null : sources.locate(result.resolvedFindings(), result),
                    directory.resolve(SARIF));
            redact(paths(directory));
            return paths(directory);
        } catch (IOException e) {
            throw new InfrastructureException("could not write the reports to " + directory + ": " + e.getMessage(),
                    "check <reportDirectory> is writable", e);
        }
    }

    /**
     * Reports are published (pull-request comments, CI artifacts): whatever text reached one, a driver's error
     * quoting a URL with its password for instance, is redacted before anyone reads it.
     */
    private static void redact(List<Path> files) throws IOException {
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String redacted = Secrets.redact(text);
            if (!redacted.equals(text)) {
                Files.writeString(file, redacted, StandardCharsets.UTF_8);
            }
        }
    }

    /** The outputs in a report directory, the page for review first. */
    public static List<Path> paths(Path directory) {
        return List.of(HTML, JSON, JUNIT, MARKDOWN, SARIF).stream().map(directory::resolve).toList();
    }

    /** The findings counted by severity, worst first, e.g. {@code 2 error, 1 warning, 0 info}. */
    public static String countsBySeverity(List<Finding> findings) {
        return Arrays.stream(Severity.values())
                .map(s -> findings.stream().filter(f -> f.severity() == s).count() + " " + lower(s))
                .collect(Collectors.joining(", "));
    }

    /** True when this finding makes the verdict fail: it is an error, or matches {@code failOn}. */
    static boolean failing(RehearsalResult result, Finding finding) {
        return finding.severity() == Severity.ERROR || result.failures().contains(finding);
    }

    /** What a stopped rehearsal's reports say first. */
    static String stopped(RehearsalResult result) {
        return "The rehearsal stopped at the " + result.stoppedAt() + " stage: nothing was rehearsed, and the build "
                + "fails whatever failOn says.";
    }

    /** Where a finding is, for people: {@code V4 #2}, {@code V4}, or its table or query. */
    public static String where(Finding finding) {
        if (finding.migration() != null) {
            return "V" + finding.migration() + (finding.statement() == null ? "" : " #" + finding.statement());
        }
        if (finding.query() != null) {
            return "query " + finding.query();
        }
        return finding.table() == null ? "" : finding.table();
    }

    /**
     * The run against the history in one line, e.g. {@code History: 2 new, 3 known, 1 resolved against the previous
     * run of branch main, 2026-01-05T02:14:07.125Z at 1a2b3c4d5e6f (fail)}.
     */
    public static String historyLine(RehearsalResult result) {
        RehearsalResult.History history = result.history();
        long known = result.findings().stream().filter(f -> f.history() == Novelty.KNOWN).count();
        String counts = (result.findings().size() - known) + " new, " + known + " known, "
                + result.resolvedFindings().size() + " resolved";
        RehearsalResult.Run previous = history.previous();
        if (previous == null) {
            return "History: " + counts + ": the first run of " + branch(history.branch()) + " in " + history.store();
        }
        return "History: " + counts + " against the previous run of " + branch(history.branch()) + ", " + previous.at()
                + (previous.commit() == null ? "" : " at " + shortCommit(previous.commit())) + " (" + previous.verdict() + ")";
    }

    /** A branch for people: {@code branch main}, or {@code no branch}. */
    public static String branch(String branch) {
        return branch == null ? "no branch" : "branch " + branch;
    }

    static String shortCommit(String commit) {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    /** Writes {@code history.html} and {@code history.json}; returns their paths. */
    public static List<Path> writeHistory(RunHistory history, Path directory) {
        try {
            Files.createDirectories(directory);
            Path html = directory.resolve(HISTORY_HTML);
            Path json = directory.resolve(HISTORY_JSON);
            JsonReport.MAPPER.writeValue(json.toFile(), history);
            HistoryPage.write(history, html);
            redact(List.of(html, json));
            return List.of(html, json);
        } catch (IOException e) {
            throw new InfrastructureException("could not write the history to " + directory + ": " + e.getMessage(),
                    "check <reportDirectory> is writable", e);
        }
    }

    /**
     * What a migration added to or freed from its tables' storage, table by table (the whole of each, indexes
     * included), e.g. {@code orders +1.2 GB (2.4 → 3.6 GB); at production +12 GB}; {@code –} when nothing noticeable.
     */
    static String sizeChange(RehearsalResult.MigrationResult migration) {
        List<String> tables = new ArrayList<>();
        for (RehearsalResult.SizeChange change : migration.sizeChange()) {
            if (change.index() != null) {
                continue;
            }
            String text = change.table() + " " + signed(change.bytesAfter() - change.bytesBefore()) + " ("
                    + bytes(change.bytesBefore()) + " → " + bytes(change.bytesAfter()) + ")";
            if (change.estimatedProductionBytesAfter() != null && change.estimatedProductionBytesAfter() != change.bytesAfter()) {
                text += ", at production " + signed(change.estimatedProductionBytesAfter()
                        - change.estimatedProductionBytesBefore());
            }
            tables.add(text);
        }
        return tables.isEmpty() ? "–" : String.join("; ", tables);
    }

    /** A byte count in binary units, e.g. {@code 1.2 GB}. */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = Math.abs(bytes);
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (bytes < 0 ? "-" : "") + (unit == 0 ? String.format("%d B", Math.abs(bytes))
                : String.format(value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]));
    }

    private static String signed(long bytes) {
        return (bytes >= 0 ? "+" : "") + bytes(bytes);
    }

    /** Said where every duration is production's own. */
    static final String MEASURED_ON_CLONE = "Every duration was measured on a full-size clone of production: the "
            + "production estimates are the measurements.";

    /** The statements a lock window spans, e.g. {@code 2} or {@code 1–3}. */
    static String statements(RehearsalResult.Window window) {
        return window.fromStatement() == window.toStatement() ? Integer.toString(window.fromStatement())
                : window.fromStatement() + "–" + window.toStatement();
    }

    /** An enum constant as the reports spell it, e.g. {@code warning}, {@code reads}. */
    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Writes {@code lint.json} and {@code lint.sarif} (with {@code tool} as SARIF's driver); returns their paths. */
    public static List<Path> writeLint(LintResult result, RehearsalResult.Tool tool, Path directory) {
        try {
            Files.createDirectories(directory);
            Path json = directory.resolve(LINT_JSON);
            Path sarif = directory.resolve(LINT_SARIF);
            JsonReport.MAPPER.writeValue(json.toFile(), result);
            Sarif.write(tool.name(), tool.version(), result.findings().stream()
                    .map(f -> new Sarif.Located(f.finding(), f.file(), f.line())).toList(), null, sarif);
            redact(List.of(json, sarif));
            return List.of(json, sarif);
        } catch (IOException e) {
            throw new InfrastructureException("could not write the lint reports to " + directory + ": " + e.getMessage(),
                    "check <reportDirectory> is writable", e);
        }
    }
}
