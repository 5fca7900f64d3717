package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.RehearsalResult.Run;
import dev.schemarehearsal.harness.api.RunHistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code history.html}: the history of runs alone, for a dashboard, self-contained like {@code report.html} and drawn
 * with its style and charts: every run newest first, then each branch's trends.
 */
final class HistoryPage {
    private HistoryPage() {
    }

    static void write(RunHistory history, Path file) throws IOException {
        try (HtmlWriter html = new HtmlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            html.start("html").attr("lang", "en").start("head")
                    .empty("meta").attr("charset", "utf-8")
                    .empty("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1")
                    .element("title", "Schema rehearsal history")
                    .style(HtmlReport.CSS).end()
                    .start("body")
                    .element("h1", "Schema rehearsal history")
                    .element("p", "muted", history.runs().size() + " run(s) of " + history.branches().size()
                            + " branch(es) in " + history.store());
            runs(html, history);
            for (int i = 0; i < history.branches().size(); i++) {
                RunHistory.Branch branch = history.branches().get(i);
                html.section("branch-" + (i + 1), "Trends of " + Reports.branch(branch.name()) + " (" + branch.runs()
                        + " run(s))");
                HtmlReport.trends(html, "branch-" + (i + 1), branch.trends());
                html.end();
            }
            if (!history.skipped().isEmpty()) {
                html.section("skipped", "Records skipped (" + history.skipped().size() + ")").start("ul");
                for (String skipped : history.skipped()) {
                    html.element("li", "warning", skipped);
                }
                html.end().end();
            }
        }
    }

    private static void runs(HtmlWriter html, RunHistory history) throws IOException {
        html.section("runs", "Runs (" + history.runs().size() + ")");
        if (history.runs().isEmpty()) {
            html.element("p", "No run is recorded yet: schema:rehearse with <history> set appends one.").end();
            return;
        }
        html.table("at", "branch", "commit", "verdict");
        for (Run run : history.runs()) {
            html.row().cell(run.at()).cell(run.branch() == null ? "–" : run.branch())
                    .codeCell(run.commit() == null ? "–" : Reports.shortCommit(run.commit()))
                    .cell("fail".equals(run.verdict()) ? "error" : "", run.verdict()).end();
        }
        html.end().end();
    }
}
