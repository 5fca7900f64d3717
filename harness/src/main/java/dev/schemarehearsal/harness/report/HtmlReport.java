package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code report.html}: one self-contained page for review, verdict and findings first. */
final class HtmlReport {
    private static final String CSS = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
            h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #dde}h3{font-size:1rem;margin:1.25rem 0 .4rem}
            .verdict{display:inline-block;padding:.35rem .9rem;border-radius:.4rem;font-weight:700;color:#fff;font-size:1.2rem}
            .pass{background:#1a7f37}.fail{background:#cf222e}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eef;vertical-align:top}
            th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#0969da}
            .muted{color:#667}code,pre{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
            """;

    private HtmlReport() {
    }

    static void write(RehearsalResult result, Path file) throws IOException {
        try (HtmlWriter html = new HtmlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            html.start("html").attr("lang", "en").start("head")
                    .empty("meta").attr("charset", "utf-8")
                    .element("title", "Schema rehearsal: " + verdict(result))
                    .style(CSS).end()
                    .start("body");
            header(html, result);
            findings(html, result.findings());
            migrations(html, result.migrations());
            queries(html, result.queries());
            data(html, result.data().tables());
            phases(html, result.phases());
        }
    }

    private static String verdict(RehearsalResult result) {
        return result.verdict().name().toLowerCase(Locale.ROOT);
    }

    private static void header(HtmlWriter html, RehearsalResult result) throws IOException {
        RehearsalResult.Shadow shadow = result.shadow();
        html.element("h1", "Schema rehearsal")
                .start("p").start("span").attr("class", "verdict " + verdict(result)).attr("id", "verdict")
                .text(verdict(result).toUpperCase(Locale.ROOT)).end().end()
                .start("p").attr("class", "muted")
                .text(shadow.engine().id() + " " + shadow.version() + " on a " + shadow.kind().id() + " shadow ("
                        + shadow.reason() + ") · " + result.tool().name() + " " + result.tool().version())
                .end();
    }

    private static void findings(HtmlWriter html, List<Finding> findings) throws IOException {
        html.element("h2", "Findings (" + findings.size() + ")");
        if (findings.isEmpty()) {
            html.element("p", "No findings.");
            return;
        }
        html.start("table").start("tr");
        for (String heading : List.of("severity", "rule", "migration", "statement", "table", "message")) {
            html.element("th", heading);
        }
        html.end();
        for (Finding finding : findings) {
            String severity = finding.severity().name().toLowerCase(Locale.ROOT);
            html.start("tr")
                    .start("td").attr("class", severity).text(severity).end()
                    .start("td").element("code", finding.rule().id()).end()
                    .element("td", orDash(finding.migration()))
                    .element("td", finding.statement() == null ? "–" : finding.statement().toString())
                    .element("td", orDash(finding.table()))
                    .element("td", finding.message())
                    .end();
        }
        html.end();
    }

    private static void migrations(HtmlWriter html, List<MigrationResult> migrations) throws IOException {
        html.element("h2", "Pending migrations (" + migrations.size() + ")");
        if (migrations.isEmpty()) {
            html.element("p", "No pending migrations above the baseline.");
            return;
        }
        html.start("table").start("tr");
        for (String heading : List.of("version", "script", "status", "duration (ms)", "error")) {
            html.element("th", heading);
        }
        html.end();
        for (MigrationResult migration : migrations) {
            String status = migration.status().name().toLowerCase(Locale.ROOT);
            html.start("tr")
                    .element("td", orDash(migration.version()))
                    .start("td").element("code", migration.script()).end()
                    .start("td").attr("class", migration.error() == null ? "" : "error").text(status).end()
                    .start("td").attr("class", "num").text(String.format("%,d", migration.durationMs())).end()
                    .start("td").element("code", orDash(migration.error())).end()
                    .end();
        }
        html.end();
        for (MigrationResult migration : migrations) {
            statements(html, migration);
        }
    }

    /** What each statement of a migration did; locks read "table: mode, blocks …, held … ms". */
    private static void statements(HtmlWriter html, MigrationResult migration) throws IOException {
        if (migration.statements().isEmpty()) {
            return;
        }
        html.element("h3", migration.script() + ": statements");
        html.start("table").start("tr");
        for (String heading : List.of("#", "line", "statement", "duration (ms)", "locks", "rewrites", "full scans",
                "dropped or narrowed", "probe stall (ms)", "error")) {
            html.element("th", heading);
        }
        html.end();
        for (StatementResult statement : migration.statements()) {
            html.start("tr")
                    .start("td").attr("class", "num").text(Integer.toString(statement.index())).end()
                    .start("td").attr("class", "num").text(statement.line() == null ? "–" : statement.line().toString()).end()
                    .start("td").element("pre", statement.sql()).end()
                    .start("td").attr("class", "num").text(String.format("%,d", statement.durationMs())).end()
                    .start("td");
            for (Lock lock : statement.locks()) {
                html.start("div").attr("class", lock.blocks().isEmpty() ? "" : "warning")
                        .text(lock.table() + ": " + lock.mode() + ", blocks " + (lock.blocks().isEmpty() ? "neither reads nor writes"
                                : String.join(" and ", lock.blocks().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList()))
                                + ", held " + String.format("%,d", lock.heldMs()) + " ms")
                        .end();
            }
            html.end()
                    .start("td").attr("class", statement.rewrites().isEmpty() ? "" : "error")
                    .text(orDash(String.join(", ", statement.rewrites()))).end()
                    .element("td", orDash(String.join(", ", statement.scans())))
                    .start("td").attr("class", statement.destroyed().isEmpty() ? "" : "warning")
                    .text(orDash(String.join(", ", statement.destroyed().stream().map(HtmlReport::destroyed).toList()))).end()
                    .start("td").attr("class", "num").text(String.format("%,d", statement.probeStallMs())).end()
                    .start("td").element("code", orDash(statement.error())).end()
                    .end();
        }
        html.end();
    }

    /** Each query's classification and cost before and after; report.json keeps the plan trees. */
    private static void queries(HtmlWriter html, List<QueryResult> queries) throws IOException {
        html.element("h2", "Query plans (" + queries.size() + ")");
        if (queries.isEmpty()) {
            html.element("p", "No queries were planned (queries.sql).");
            return;
        }
        html.start("table").start("tr");
        for (String heading : List.of("query", "change", "cost before", "cost after", "migration", "what changed")) {
            html.element("th", heading);
        }
        html.end();
        for (QueryResult query : queries) {
            String change = query.change().name().toLowerCase(Locale.ROOT);
            html.start("tr")
                    .start("td").element("code", query.name()).end()
                    .start("td").attr("class", switch (query.change()) {
                        case FAILED, REGRESSED -> "error";
                        case CHANGED, IMPROVED -> "info";
                        case UNCHANGED -> "";
                    }).text(change).end()
                    .start("td").attr("class", "num").text(cost(query.before())).end()
                    .start("td").attr("class", "num").text(cost(query.after())).end()
                    .element("td", orDash(query.migration()))
                    .element("td", query.error() != null ? query.error() : orDash(String.join("; ", query.changes())))
                    .end();
        }
        html.end();
    }

    private static String cost(QueryResult.Plan plan) {
        return plan == null || plan.cost() == null ? "–" : String.format(Locale.ROOT, "%,.2f", plan.cost());
    }

    private static void data(HtmlWriter html, List<TableLoad> tables) throws IOException {
        html.element("h2", "Data loaded");
        if (tables.isEmpty()) {
            html.element("p", "No sample data was loaded.");
            return;
        }
        html.start("table").start("tr").element("th", "table").element("th", "file").element("th", "rows")
                .element("th", "duration (ms)").end();
        for (TableLoad table : tables) {
            html.start("tr").element("td", table.table()).element("td", table.file())
                    .start("td").attr("class", "num").text(String.format("%,d", table.rows())).end()
                    .start("td").attr("class", "num").text(String.format("%,d", table.durationMs())).end()
                    .end();
        }
        html.end();
    }

    private static void phases(HtmlWriter html, List<Phase> phases) throws IOException {
        html.element("h2", "Phases");
        html.start("table").start("tr").element("th", "phase").element("th", "duration (ms)").end();
        for (Phase phase : phases) {
            html.start("tr").element("td", phase.name())
                    .start("td").attr("class", "num").text(String.format("%,d", phase.durationMs())).end().end();
        }
        html.end();
    }

    private static String destroyed(Destroyed destroyed) {
        return destroyed.column() == null ? "table " + destroyed.table()
                : destroyed.table() + "." + destroyed.column()
                + (destroyed.from() == null ? "" : ": " + destroyed.from() + " → " + destroyed.to());
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "–" : value;
    }
}
