package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Verdict;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.ShadowKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * {@code summary.md}: the verdict, the findings that cost production most and the longest locks, short enough for a pull-request comment; the rest is in
 * the HTML report it links to.
 */
final class MarkdownSummary {
    static final int MAX_FINDINGS = 15;
    static final int MAX_MIGRATIONS = 20;
    static final int MAX_MESSAGE = 300;
    static final int MAX_QUERIES = 10;
    static final int MAX_WINDOWS = 10;
    /** Markdown's punctuation that could start markup, and the table cell separator. */
    private static final String SPECIAL = "\\`*_[]<>|~&!#";

    private MarkdownSummary() {
    }

    static void write(RehearsalResult result, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        boolean pass = result.verdict() == Verdict.PASS;
        md.append("## Schema rehearsal: ").append(pass ? "✅ PASS" : "❌ FAIL").append("\n\n");
        md.append(Reports.countsBySeverity(result.findings())).append(" · ")
                .append(result.stoppedAt() != null ? "stopped at the " + result.stoppedAt() + " stage"
                        : result.migrations().size() + " pending migration(s)").append(" · ")
                .append(escape(Reports.lower(result.shadow().engine()) + " " + result.shadow().version()))
                .append(" (").append(Reports.lower(result.shadow().kind())).append(" shadow)\n\n");
        md.append(result.stoppedAt() != null ? Reports.stopped(result) + "\n\n"
                : result.failures().isEmpty() ? "No finding matches `failOn`: the build passes.\n\n"
                : result.failures().size() + " finding(s) match `failOn`: the build fails.\n\n");
        history(md, result);
        findings(md, result.findings(), result.history() != null);
        migrations(md, result);
        windows(md, result.migrations());
        backfills(md, result.backfills());
        queries(md, result.queries());
        md.append("Full report: [report.html](").append(Reports.HTML).append(") · data: [report.json](")
                .append(Reports.JSON).append(")\n");
        Files.writeString(file, md, StandardCharsets.UTF_8);
    }

    /**
     * With a history: the findings new, known and resolved, what changed since last week, the findings the previous
     * run had and this one hasn't, and production's own plans that changed between two captures.
     */
    private static void history(StringBuilder md, RehearsalResult result) {
        RehearsalResult.History history = result.history();
        if (history == null) {
            return;
        }
        md.append(escape(Reports.historyLine(result))).append("\n\n");
        if (!history.summary().isEmpty()) {
            md.append("Trends: ").append(escape(history.summary())).append("\n\n");
        }
        List<Finding> resolved = result.resolvedFindings();
        if (!resolved.isEmpty()) {
            md.append("Resolved since the previous run:\n\n");
            for (Finding finding : resolved.subList(0, Math.min(MAX_FINDINGS, resolved.size()))) {
                md.append("- ").append(Reports.lower(finding.severity())).append(" `").append(finding.rule().id())
                        .append("` ").append(escape(Reports.where(finding))).append('\n');
            }
            if (resolved.size() > MAX_FINDINGS) {
                md.append("- …and ").append(resolved.size() - MAX_FINDINGS).append(" more in the full report\n");
            }
            md.append('\n');
        }
        List<RehearsalResult.Drift> drift = result.drift();
        if (!drift.isEmpty()) {
            md.append("Production's own plans changed between its captures:\n\n");
            for (RehearsalResult.Drift query : drift.subList(0, Math.min(MAX_QUERIES, drift.size()))) {
                md.append("- ").append(escape(query.query())).append(": ")
                        .append(escape(shorten(String.join("; ", query.changes())))).append('\n');
            }
            md.append('\n');
        }
    }

    private static void findings(StringBuilder md, List<Finding> findings, boolean history) {
        if (findings.isEmpty()) {
            md.append("No findings.\n\n");
            return;
        }
        md.append(history
                ? "| severity | history | rule | where | message | production blocked |\n| --- | --- | --- | --- | --- | ---: |\n"
                : "| severity | rule | where | message | production blocked |\n| --- | --- | --- | --- | ---: |\n");
        // Already ranked by their impact on production, the worst first.
        List<Finding> worst = findings;
        for (Finding finding : worst.subList(0, Math.min(MAX_FINDINGS, worst.size()))) {
            md.append("| ").append(Reports.lower(finding.severity()));
            if (history) {
                md.append(" | ").append(finding.history() == null ? "–" : Reports.lower(finding.history()));
            }
            md.append(" | `").append(finding.rule().id())
                    .append("` | ").append(escape(Reports.where(finding))).append(" | ")
                    .append(escape(shorten(finding.message()))).append(" | ")
                    .append(finding.impactMs() == 0 ? "–" : human(finding.impactMs())).append(" |\n");
        }
        if (worst.size() > MAX_FINDINGS) {
            md.append("\n…and ").append(worst.size() - MAX_FINDINGS).append(" more finding(s) in the full report.\n");
        }
        md.append('\n');
    }

    private static void migrations(StringBuilder md, RehearsalResult result) {
        List<MigrationResult> migrations = result.migrations();
        if (migrations.isEmpty()) {
            return;
        }
        if (result.shadow().kind() == ShadowKind.CLONE) {
            md.append(Reports.MEASURED_ON_CLONE).append("\n\n");
        }
        md.append("| migration | status | duration | size change | statements | findings |\n"
                + "| --- | --- | ---: | --- | ---: | ---: |\n");
        for (MigrationResult migration : migrations.subList(0, Math.min(MAX_MIGRATIONS, migrations.size()))) {
            long findings = result.findings().stream()
                    .filter(f -> migration.version() != null && migration.version().equals(f.migration())).count();
            md.append("| ").append(escape(migration.script())).append(" | ").append(Reports.lower(migration.status()))
                    .append(" | ").append(human(migration.durationMs())).append(" | ")
                    .append(escape(Reports.sizeChange(migration))).append(" | ")
                    .append(migration.statements().size()).append(" | ").append(findings).append(" |\n");
        }
        if (migrations.size() > MAX_MIGRATIONS) {
            md.append("\n…and ").append(migrations.size() - MAX_MIGRATIONS).append(" more migration(s) in the full report.\n");
        }
        md.append('\n');
    }

    /** Each backfill's batches, rate and latency, and its whole at production size with the range and what it rests on. */
    private static void backfills(StringBuilder md, List<BackfillResult> backfills) {
        if (backfills.isEmpty()) {
            return;
        }
        md.append("| backfill | batches | rows/s | batch p50/p95 | production estimate |\n| --- | ---: | ---: | ---: | --- |\n");
        for (BackfillResult backfill : backfills) {
            md.append("| ").append(escape(backfill.name())).append(" | ").append(String.format("%,d", backfill.batches()))
                    .append(" | ").append(String.format("%,.0f", backfill.rowsPerSecond())).append(" | ")
                    .append(human(backfill.batchMs().p50())).append(" / ").append(human(backfill.batchMs().p95())).append(" | ")
                    .append(backfill.estimatedProductionMs() == null ? "–" : escape(human(backfill.estimatedProductionMs())
                            + (backfill.estimatedProductionRange() == null ? "" : " (" + human(backfill
                            .estimatedProductionRange().low()) + " to " + human(backfill.estimatedProductionRange().high()) + ")")
                            + (backfill.estimateBasis() == null ? "" : ", " + backfill.estimateBasis()))).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * The lock windows that block reads or writes, longest at production size first: the table, the mode, what it
     * blocks, the statements from the one that took it to the last under it, and how long on the shadow and in
     * production.
     */
    private static void windows(StringBuilder md, List<MigrationResult> migrations) {
        record Held(MigrationResult migration, Window window) {
            long productionMs() {
                return window.estimatedProductionMs() == null ? window.heldMs() : window.estimatedProductionMs();
            }
        }
        List<Held> blocking = migrations.stream().flatMap(m -> m.windows().stream()
                        .filter(w -> !w.blocks().isEmpty()).map(w -> new Held(m, w)))
                .sorted(Comparator.comparingLong(Held::productionMs).reversed()).toList();
        if (blocking.isEmpty()) {
            return;
        }
        md.append("| lock | table | blocks | statements | held on the shadow | at production size |\n"
                + "| --- | --- | --- | --- | ---: | ---: |\n");
        for (Held held : blocking.subList(0, Math.min(MAX_WINDOWS, blocking.size()))) {
            Window window = held.window();
            md.append("| ").append(escape(window.mode())).append(" | ").append(escape(window.table())).append(" | ")
                    .append(window.blocks().stream().map(Reports::lower).collect(Collectors.joining(" and ")))
                    .append(" | ").append(escape(held.migration().script())).append(" ")
                    .append(Reports.statements(window)).append(" | ").append(human(window.heldMs())).append(" | ")
                    .append(window.estimatedProductionMs() == null ? "–" : human(window.estimatedProductionMs()))
                    .append(" |\n");
        }
        if (blocking.size() > MAX_WINDOWS) {
            md.append("\n…and ").append(blocking.size() - MAX_WINDOWS).append(" more lock window(s) in the full report.\n");
        }
        md.append('\n');
    }

    /** The queries whose plan changed, got worse or failed, worst first; unchanged and improved ones are left out. */
    private static void queries(StringBuilder md, List<QueryResult> queries) {
        List<QueryResult> shown = queries.stream()
                .filter(q -> q.change() == Change.CHANGED || q.change() == Change.REGRESSED || q.change() == Change.FAILED)
                .sorted(Comparator.comparing(QueryResult::change).reversed()).toList();
        if (shown.isEmpty()) {
            return;
        }
        md.append("| query | plan | after | what changed |\n| --- | --- | --- | --- |\n");
        for (QueryResult query : shown.subList(0, Math.min(MAX_QUERIES, shown.size()))) {
            md.append("| ").append(escape(query.name())).append(" | ").append(Reports.lower(query.change()))
                    .append(" | ").append(query.migration() == null ? "–" : "V" + escape(query.migration()))
                    .append(" | ").append(escape(shorten(query.error() != null ? query.error()
                            : String.join("; ", query.changes())))).append(" |\n");
        }
        if (shown.size() > MAX_QUERIES) {
            md.append("\n…and ").append(shown.size() - MAX_QUERIES).append(" more changed query plan(s) in the full report.\n");
        }
        md.append('\n');
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /** Text that stays text in a table cell: one line, markup characters backslash-escaped. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : XmlText.clean(text).replaceAll("[\\r\\n]+", " ").toCharArray()) {
            if (SPECIAL.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
