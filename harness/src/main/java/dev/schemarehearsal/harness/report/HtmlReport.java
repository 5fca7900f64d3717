package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Disagreement;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.LintResult.MigrationRecord;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
import dev.schemarehearsal.harness.api.RehearsalResult.Stale;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.RehearsalResult.TablePadding;
import dev.schemarehearsal.harness.api.RehearsalResult.TableScale;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.ShadowKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * {@code report.html}: one self-contained page for review (inline CSS and SVG, no scripts, nothing loaded from
 * elsewhere). The verdict and the findings that cost production most come first, then each migration's statements
 * and lock windows, the probe timeline,
 * every finding, the data loaded and the environment. Each part is one section method.
 */
final class HtmlReport {
    static final int TOP_FINDINGS = 5;
    static final String CSS = """
            body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;color:#1d2330;background:#fff}
            h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #dde}h3{font-size:1rem;margin:1.25rem 0 .4rem}
            .verdict{padding:1rem 1.25rem;border-radius:.5rem;color:#fff;margin:0 0 1rem}
            .verdict .word{display:block;font-size:2.2rem;font-weight:800;letter-spacing:.06em}
            .verdict.pass{background:#1a7f37}.verdict.fail{background:#cf222e}
            table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eef;vertical-align:top}
            th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.flagged td{background:#fff5f5}
            .error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#0969da}
            .badge{display:inline-block;min-width:4.5rem;padding:0 .4rem;border-radius:.3rem;color:#fff;font-size:12px;text-align:center}
            .badge.error{background:#cf222e;color:#fff}.badge.warning{background:#9a6700;color:#fff}.badge.info{background:#0969da;color:#fff}
            ol.top{padding-left:1.2rem}ol.top li{margin:.35rem 0}
            .muted{color:#667}.basis{color:#667;font-size:11px}code,pre{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;margin:0}
            svg{max-width:100%;height:auto;font:11px system-ui,sans-serif}svg .axis{stroke:#667}svg .grid{stroke:#eef}
            svg .span{fill:#cf222e;fill-opacity:.08}svg .migration{stroke:#cf222e;stroke-dasharray:3 3}
            svg polyline{fill:none;stroke-width:1.5}.probe-read{stroke:#0969da}.probe-write{stroke:#d4700a}
            .swatch{display:inline-block;width:1.5rem;height:.25rem;vertical-align:middle;margin:0 .3rem 0 1rem}
            .plans{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.plans ul{padding-left:1.1rem;margin:.2rem 0}
            .plans li{margin:.15rem 0;padding:.1rem .3rem;border-left:3px solid transparent}.plans .type{font-weight:600}
            .plans li.changed>div{background:#fff8c5;border-left:3px solid #9a6700}.plans li.removed>div{background:#ffebe9;text-decoration:line-through}
            .plans li.added>div{background:#dafbe1}.plans .full-scan{color:#cf222e;font-weight:600}
            .swatch.probe-read{background:#0969da}.swatch.probe-write{background:#d4700a}.swatch.span{background:#f7dcde;height:.8rem}
            svg rect.batch{fill:#0969da;fill-opacity:.45}svg .stall{stroke:#cf222e}svg .rows{stroke:#1a7f37}
            .swatch.batch{background:#9cc3ee;height:.8rem}.swatch.stall{background:#cf222e}.swatch.rows{background:#1a7f37}
            .badge.new{background:#8250df;color:#fff}.badge.known{background:#6e7781;color:#fff}
            .trends{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}figure.trend{margin:0}figure.trend figcaption{font-size:12px}
            svg .trend{stroke:#0969da}svg .point{fill:#0969da}svg .point.changed{fill:#cf222e}
            .swatch.point{background:#0969da;height:.5rem;width:.5rem;border-radius:50%}.swatch.changed{background:#cf222e;height:.7rem;width:.7rem;border-radius:50%}
            """;

    private HtmlReport() {
    }

    static void write(RehearsalResult result, Path file) throws IOException {
        try (HtmlWriter html = new HtmlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            html.start("html").attr("lang", "en").start("head")
                    .empty("meta").attr("charset", "utf-8")
                    .empty("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1")
                    .element("title", "Schema rehearsal: " + verdict(result).toUpperCase(Locale.ROOT))
                    .style(CSS).end()
                    .start("body");
            verdict(html, result);
            topFindings(html, result);
            history(html, result);
            migrations(html, result);
            timeline(html, result.timeline());
            backfills(html, result.backfills());
            queries(html, result.queries(), result.fidelity());
            planDiffs(html, result.queries());
            records(html, result);
            disagreements(html, result.disagreements());
            allFindings(html, result);
            data(html, result.data());
            environment(html, result);
        }
    }

    private static String verdict(RehearsalResult result) {
        return Reports.lower(result.verdict());
    }

    private static void verdict(HtmlWriter html, RehearsalResult result) throws IOException {
        html.element("h1", "Schema rehearsal")
                .start("div").attr("id", "verdict").attr("class", "verdict " + verdict(result))
                .element("span", "word", verdict(result).toUpperCase(Locale.ROOT))
                .element("span", "why", Reports.countsBySeverity(result.findings()) + " · "
                        + (result.stoppedAt() != null ? Reports.stopped(result) : result.migrations().size()
                        + " pending migration(s) · " + (result.failures().isEmpty() ? "no finding matches failOn"
                        : result.failures().size() + " finding(s) match failOn and fail the build")))
                .end();
        if (result.history() != null) {
            html.start("p").attr("id", "history-line").text(Reports.historyLine(result)).end();
        }
        RehearsalResult.Shadow shadow = result.shadow();
        html.element("p", "muted", Reports.lower(shadow.engine()) + " " + shadow.version() + " · "
                + Reports.lower(shadow.kind()) + " shadow (" + shadow.reason() + ") · " + result.tool().name() + " "
                + result.tool().version());
    }

    private static void topFindings(HtmlWriter html, RehearsalResult result) throws IOException {
        html.section("top-findings", "Top findings");
        List<Finding> worst = result.findings();
        if (worst.isEmpty()) {
            html.element("p", "No findings.").end();
            return;
        }
        html.start("ol").attr("class", "top");
        for (Finding finding : worst.subList(0, Math.min(TOP_FINDINGS, worst.size()))) {
            html.start("li").badge(finding.severity()).novelty(finding.history()).text(" ")
                    .element("code", finding.rule().id())
                    .text(" " + Reports.where(finding) + ": " + finding.message() + impact(finding)).end();
        }
        html.end();
        if (worst.size() > TOP_FINDINGS) {
            html.start("p").linkTo("findings", "All " + worst.size() + " findings").end();
        }
        html.end();
    }

    /**
     * What the history adds: what changed since last week, the findings the previous run had and this one hasn't, the
     * drift of production's own plans, the trends, and the records that could not be read.
     */
    private static void history(HtmlWriter html, RehearsalResult result) throws IOException {
        RehearsalResult.History history = result.history();
        if (history == null) {
            return;
        }
        html.section("history", "History (" + history.runs() + " run(s) of " + Reports.branch(history.branch()) + ")");
        html.element("p", history.summary().isEmpty() ? "Nothing changed in the tables' sizes, the migrations' locks or "
                + "the queries' plans since the runs before." : history.summary());
        resolved(html, result.resolvedFindings());
        drift(html, result.drift());
        if (result.trends() != null) {
            trends(html, "history-trends", result.trends());
        }
        if (!history.skipped().isEmpty()) {
            html.element("h3", "Records skipped");
            html.start("ul");
            for (String skipped : history.skipped()) {
                html.element("li", "warning", skipped);
            }
            html.end();
        }
        html.end();
    }

    private static void resolved(HtmlWriter html, List<Finding> resolved) throws IOException {
        html.element("h3", "Resolved since the previous run (" + resolved.size() + ")");
        if (resolved.isEmpty()) {
            html.element("p", "muted", "None: every finding of the previous run is still there.");
            return;
        }
        html.table("severity", "rule", "where", "message (as in the previous run)");
        for (Finding finding : resolved) {
            String severity = Reports.lower(finding.severity());
            html.row("resolved").cell(severity, severity).codeCell(finding.rule().id()).cell(orDash(Reports.where(finding)))
                    .cell(finding.message()).end();
        }
        html.end();
    }

    /** Production's plans that changed between two captures of them, with or without a pending migration. */
    private static void drift(HtmlWriter html, List<RehearsalResult.Drift> drift) throws IOException {
        if (drift.isEmpty()) {
            return;
        }
        html.element("h3", "Production's own plans changed (" + drift.size() + ")");
        html.table("query", "captured", "cost", "what changed");
        for (RehearsalResult.Drift query : drift) {
            html.row().codeCell(query.query()).cell(orDash(query.from()) + " → " + orDash(query.to()))
                    .numberCell(cost(query.costFrom()) + " → " + cost(query.costTo()))
                    .cell(String.join("; ", query.changes())).end();
        }
        html.end();
    }

    /** Small charts of each migration's, query's and table's figure over the runs. */
    static void trends(HtmlWriter html, String id, RehearsalResult.Trends trends) throws IOException {
        trendGroup(html, id + "-migrations", "Migrations: longest blocking lock, at production size where estimated",
                "longest blocking lock", trends.migrations(), ms -> human(Math.round(ms)));
        if (!trends.queries().isEmpty()) {
            html.start("p").swatch("point", "a run").swatch("changed", "a run whose plan shape changed").end();
        }
        trendGroup(html, id + "-queries", "Queries: planner's cost after the pending migrations", "planner's cost",
                trends.queries(), cost -> String.format(Locale.ROOT, "%,.0f", cost));
        trendGroup(html, id + "-tables", "Tables: rows in production", "rows in production", trends.tables(),
                rows -> String.format(Locale.ROOT, "%,.0f", rows));
    }

    private static void trendGroup(HtmlWriter html, String id, String heading, String what,
                                   List<RehearsalResult.Trend> trends, DoubleFunction<String> format) throws IOException {
        if (trends.isEmpty()) {
            return;
        }
        html.element("h3", heading);
        html.start("div").attr("class", "trends");
        for (int i = 0; i < trends.size(); i++) {
            new TrendChart(id + "-" + (i + 1), trends.get(i), format).write(html, what);
        }
        html.end();
    }

    private static String cost(Double cost) {
        return cost == null ? "–" : String.format(Locale.ROOT, "%,.2f", cost);
    }

    private static void migrations(HtmlWriter html, RehearsalResult result) throws IOException {
        List<MigrationResult> migrations = result.migrations();
        html.section("migrations", (result.stoppedAt() != null ? "Migrations that ran" : "Pending migrations")
                + " (" + migrations.size() + ")");
        if (migrations.isEmpty()) {
            html.element("p", "No pending migrations above the baseline.").end();
            return;
        }
        if (result.shadow().kind() == ShadowKind.CLONE) {
            html.element("p", Reports.MEASURED_ON_CLONE);
        }
        html.table("version", "script", "status", "duration", "size change", "statements", "findings", "error");
        for (MigrationResult migration : migrations) {
            html.row()
                    .cell(orDash(migration.version()))
                    .codeCell(migration.script())
                    .cell(migration.error() == null ? "" : "error", Reports.lower(migration.status()))
                    .numberCell(human(migration.durationMs()))
                    .cell(Reports.sizeChange(migration))
                    .numberCell(Integer.toString(migration.statements().size()))
                    .numberCell(Long.toString(about(result, migration).size()))
                    .codeCell(orDash(migration.error()))
                    .end();
            if (!migration.leftBehind().isEmpty()) {
                html.row().start("td").attr("colspan", "8").text("Schema left behind by the failure:")
                        .element("pre", String.join("\n", migration.leftBehind())).end().end();
            }
        }
        html.end();
        for (MigrationResult migration : migrations) {
            statements(html, result, migration);
        }
        html.end();
    }

    /** What each statement of a migration did, a row per statement; rows with a finding that fails are marked. */
    private static void statements(HtmlWriter html, RehearsalResult result, MigrationResult migration) throws IOException {
        if (migration.statements().isEmpty()) {
            return;
        }
        html.start("h3").attr("id", anchor(migration)).text(migration.script() + ": statements").end();
        html.table("#", "line", "statement", "duration", "locks", "blocks", "rewrites", "probe stall",
                "production estimate", "findings", "notes");
        List<Finding> findings = about(result, migration);
        for (StatementResult statement : migration.statements()) {
            List<Finding> own = findings.stream().filter(f -> Objects.equals(f.statement(), statement.index())).toList();
            String blocks = statement.locks().stream().flatMap(l -> l.blocks().stream()).distinct().sorted()
                    .map(Reports::lower).collect(Collectors.joining(" and "));
            html.row(own.stream().anyMatch(f -> Reports.failing(result, f)) ? "flagged" : "")
                    .numberCell(Integer.toString(statement.index()))
                    .numberCell(statement.line() == null ? "–" : statement.line().toString())
                    .preCell(statement.sql())
                    .numberCell(human(statement.durationMs()));
            locks(html, statement);
            html.cell(blocks.isEmpty() ? "" : "warning", orDash(blocks))
                    .cell(statement.rewrites().isEmpty() ? "" : "error", orDash(String.join(", ", statement.rewrites())))
                    .numberCell(human(statement.probeStallMs()));
            estimate(html, statement.estimate(), statement.estimateBasis());
            ruleIds(html, own);
            notes(html, statement);
            html.end();
        }
        html.end();
        windows(html, migration);
    }

    /** A cell with the estimate and its range, and under them what it rests on; a dash and why when there is none. */
    private static void estimate(HtmlWriter html, ProductionEstimate estimate, String basis) throws IOException {
        html.start("td");
        if (estimate == null) {
            html.text("–");
            if (basis != null) {
                html.element("div", "basis", basis);
            }
        } else {
            html.element("div", human(estimate.ms()) + " (" + human(estimate.range().low()) + " to "
                    + human(estimate.range().high()) + ")");
            html.element("div", "basis", estimate.basis());
        }
        html.end();
    }

    /**
     * A migration's lock windows: each table's strongest lock from the statement that took it to the end of its
     * transaction, what it blocks, how long on the shadow and at production size, and the longest probe wait on it.
     */
    private static void windows(HtmlWriter html, MigrationResult migration) throws IOException {
        if (migration.windows().isEmpty()) {
            return;
        }
        html.element("p", "muted", migration.script() + ": lock windows, each held from the statement that took it "
                + "to the end of its transaction");
        html.table("table", "mode", "blocks", "statements", "held on the shadow", "at production size", "probe stall");
        for (Window window : migration.windows()) {
            String blocks = window.blocks().stream().map(Reports::lower).collect(Collectors.joining(" and "));
            html.row()
                    .cell(window.table())
                    .cell(window.mode())
                    .cell(blocks.isEmpty() ? "" : "warning", orDash(blocks))
                    .cell(Reports.statements(window))
                    .numberCell(human(window.heldMs()));
            estimate(html, window.estimate(), null);
            html.numberCell(human(window.probeStallMs()))
                    .end();
        }
        html.end();
    }

    /** A cell with a line per lock held while the statement ran: the table, the mode, how long, and who took it. */
    private static void locks(HtmlWriter html, StatementResult statement) throws IOException {
        html.start("td");
        for (Lock lock : statement.locks()) {
            html.element("div", lock.table() + ": " + lock.mode() + ", held " + human(lock.heldMs())
                    + (lock.takenBy(statement.index()) ? "" : ", taken by statement " + lock.acquiredBy()));
        }
        html.end();
    }

    /** A cell with the rule id of each finding, in its severity's colour. */
    private static void ruleIds(HtmlWriter html, List<Finding> findings) throws IOException {
        html.start("td");
        for (Finding finding : findings) {
            html.start("div").attr("class", Reports.lower(finding.severity())).element("code", finding.rule().id()).end();
        }
        html.end();
    }

    /**
     * A cell with what else is worth knowing about a statement: the server's choice, scans, what it destroyed or
     * renamed, the function results it left stale.
     */
    private static void notes(HtmlWriter html, StatementResult statement) throws IOException {
        html.start("td");
        if (statement.algorithm() != null) {
            html.element("div", "the server's choice: ALGORITHM=" + statement.algorithm());
        }
        if (!statement.scans().isEmpty()) {
            html.element("div", "full scan of " + String.join(", ", statement.scans()));
        }
        for (Destroyed destroyed : statement.destroyed()) {
            html.element("div", "warning", destroyed(destroyed));
        }
        for (Renamed renamed : statement.renamed()) {
            html.element("div", "warning", "renamed " + (renamed.column() == null ? "table " + renamed.table()
                    : "column " + renamed.table() + "." + renamed.column()) + " → " + renamed.to());
        }
        for (Stale stale : statement.stale()) {
            html.element("div", "warning", stale.kind() + " " + stale.name() + " on " + stale.table() + " still holds "
                    + stale.function() + "'s old results" + (stale.rows() == null ? "" : " (" + number(stale.rows())
                    + " rows)") + ": " + stale.rebuild());
        }
        if (statement.error() != null) {
            html.start("div").attr("class", "error").element("code", statement.error()).end();
        }
        html.end();
    }

    private static void timeline(HtmlWriter html, Timeline timeline) throws IOException {
        html.section("timeline", "Probe latency while the migrations ran");
        if (timeline.probes().isEmpty()) {
            html.element("p", "No probe ran: no pending migration names an existing table, or the probes could not "
                    + "start (the log says why).").end();
            return;
        }
        new TimelineChart(timeline).write(html);
        html.end();
    }

    private static void allFindings(HtmlWriter html, RehearsalResult result) throws IOException {
        List<Finding> findings = result.findings();
        html.section("findings", "All findings (" + findings.size() + "), by their impact on production");
        if (findings.isEmpty()) {
            html.element("p", "No findings.").end();
            return;
        }
        boolean history = result.history() != null;
        if (history) {
            html.table("severity", "history", "rule", "migration", "statement", "table", "fails the build", "message",
                    "production blocked");
        } else {
            html.table("severity", "rule", "migration", "statement", "table", "fails the build", "message",
                    "production blocked");
        }
        for (Finding finding : findings) {
            String severity = Reports.lower(finding.severity());
            html.row().cell(severity, severity);
            if (history) {
                html.start("td").novelty(finding.history()).end();
            }
            html.codeCell(finding.rule().id())
                    .cell(orDash(finding.migration()))
                    .cell(finding.statement() == null ? "–" : finding.statement().toString())
                    .cell(orDash(finding.table()))
                    .cell(result.failures().contains(finding) ? "yes (failOn)" : "no")
                    .cell(finding.message())
                    .numberCell(finding.impactMs() == 0 ? "–" : human(finding.impactMs()))
                    .end();
        }
        html.end().end();
    }

    private static void data(HtmlWriter html, Data data) throws IOException {
        html.section("data", "Data loaded");
        if (data.tables().isEmpty()) {
            html.element("p", "No sample data was loaded.");
        } else {
            html.table("table", "file", "rows", "duration");
            for (TableLoad table : data.tables()) {
                html.row().cell(table.table()).codeCell(table.file())
                        .numberCell(number(table.rows())).numberCell(human(table.durationMs())).end();
            }
            html.end();
        }
        if (!data.scaled().isEmpty()) {
            html.element("h3", "Scaled up");
            html.table("table", "rows before", "rows", "duration");
            for (TableScale table : data.scaled()) {
                html.row().cell(table.table()).numberCell(number(table.rowsBefore())).numberCell(number(table.rows()))
                        .numberCell(human(table.durationMs())).end();
            }
            html.end();
        }
        if (!data.padded().isEmpty()) {
            html.element("h3", "Storage padded for the plans (removed while the migrations ran)");
            html.table("table", "pages loaded", "pages padded", "pages in production");
            for (TablePadding table : data.padded()) {
                html.row().cell(table.table()).numberCell(number(table.pages())).numberCell(number(table.paddedPages()))
                        .numberCell(number(table.productionPages())).end();
            }
            html.end();
        }
        if (data.statistics() != null) {
            html.start("h3").text("Production statistics: ").element("code", data.statistics().file()).end();
            html.table("table", "rows in production", "rows on the shadow");
            for (TableRows table : data.statistics().tables()) {
                html.row().cell(table.table()).numberCell(number(table.rows()))
                        .numberCell(table.shadowRows() < 0 ? "no such table" : number(table.shadowRows())).end();
            }
            html.end();
            if (!data.statistics().notApplied().isEmpty()) {
                html.element("p", "Not applied to the shadow:").start("ul");
                for (String reason : data.statistics().notApplied()) {
                    html.element("li", reason);
                }
                html.end();
            }
        }
        html.end();
    }

    /** Each query's classification and cost before and after; report.json keeps the plan trees. */
    private static void queries(HtmlWriter html, List<QueryResult> queries, RehearsalResult.Fidelity fidelity)
            throws IOException {
        html.element("h2", "Query plans (" + queries.size() + ")");
        if (queries.isEmpty()) {
            html.element("p", "No queries were planned (queries.sql).");
            return;
        }
        if (fidelity != null) {
            html.element("p", "fidelity", "Plan fidelity: " + fidelity.summary() + " before the migrations"
                    + (fidelity.different().isEmpty() ? "." : "; the verdicts on the others are uncertain."));
        }
        html.table("query", "change", "cost before", "cost after", "migration", "what changed", "as in production");
        for (QueryResult query : queries) {
            html.row()
                    .codeCell(query.name())
                    .cell(switch (query.change()) {
                        case FAILED, REGRESSED -> "error";
                        case CHANGED, IMPROVED -> "info";
                        case UNCHANGED -> "";
                    }, query.change().name().toLowerCase(Locale.ROOT))
                    .numberCell(cost(query.before()))
                    .numberCell(cost(query.after()))
                    .cell(orDash(query.migration()))
                    .cell(query.error() != null ? query.error() : orDash(String.join("; ", query.changes())))
                    .cell(query.asInProduction() == null ? "–" : query.asInProduction() ? "yes" : "no: uncertain verdict")
                    .end();
        }
        html.end();
    }

    /**
     * Each query whose plan is not unchanged: its plans before and after side by side, nodes that were removed, added
     * or changed (type, index or full scan) marked, and what changed in one line; a failed query shows the engine's error.
     */
    private static void planDiffs(HtmlWriter html, List<QueryResult> queries) throws IOException {
        List<QueryResult> changed = queries.stream().filter(q -> q.change() != QueryResult.Change.UNCHANGED).toList();
        if (changed.isEmpty()) {
            return;
        }
        html.section("plan-diffs", "Plan changes (" + changed.size() + ")");
        for (QueryResult query : changed) {
            html.start("div").attr("class", "plan-diff")
                    .start("h3").element("code", query.name())
                    .text(" " + query.change().name().toLowerCase(Locale.ROOT)
                            + (query.migration() == null ? "" : " after V" + query.migration())).end();
            if (query.error() != null) {
                html.start("p").attr("class", "error").element("code", query.error()).end();
            } else {
                html.element("p", orDash(String.join("; ", query.changes())));
            }
            PlanMatching matching = query.before() == null || query.after() == null ? null
                    : new PlanMatching(query.before().plan(), query.after().plan());
            html.start("div").attr("class", "plans");
            planSide(html, "before", query.before(), matching == null ? n -> PlanMatching.Mark.SAME : matching::before);
            planSide(html, "after", query.after(), matching == null ? n -> PlanMatching.Mark.SAME : matching::after);
            html.end().end();
        }
        html.end();
    }

    private static void planSide(HtmlWriter html, String side, QueryResult.Plan plan,
                                 Function<PlanNode, PlanMatching.Mark> marks) throws IOException {
        html.start("div").attr("class", side).element("p", "muted", side);
        if (plan == null) {
            html.element("p", "no plan");
        } else {
            html.start("ul");
            planNode(html, plan.plan(), marks);
            html.end();
        }
        html.end();
    }

    private static void planNode(HtmlWriter html, PlanNode node,
                                 Function<PlanNode, PlanMatching.Mark> marks) throws IOException {
        html.start("li").attr("class", marks.apply(node).name().toLowerCase(Locale.ROOT)).start("div")
                .start("span").attr("class", "type").text(node.nodeType()).end();
        if (node.relation() != null) {
            html.text(" on ").element("code", node.relation());
        }
        if (node.index() != null) {
            html.text(" using ").element("code", node.index());
        }
        if (node.fullScan()) {
            html.text(" ").element("span", "full-scan", "full scan");
        }
        List<String> figures = new ArrayList<>();
        if (node.estimatedRows() != null) {
            figures.add("rows ~" + String.format(Locale.ROOT, "%,.0f", node.estimatedRows()));
        }
        if (node.cost() != null) {
            figures.add("cost " + String.format(Locale.ROOT, "%,.2f", node.cost()));
        }
        if (node.actualRows() != null) {
            figures.add("actual rows " + String.format(Locale.ROOT, "%,.0f", node.actualRows()));
        }
        if (node.actualMs() != null) {
            figures.add(String.format(Locale.ROOT, "%,.3f ms", node.actualMs()));
        }
        if (!figures.isEmpty()) {
            html.element("span", "muted", " (" + String.join(", ", figures) + ")");
        }
        if (node.condition() != null) {
            html.start("div").element("code", node.condition()).end();
        }
        html.end();
        if (!node.children().isEmpty()) {
            html.start("ul");
            for (PlanNode child : node.children()) {
                planNode(html, child, marks);
            }
            html.end();
        }
        html.end();
    }

    private static String cost(QueryResult.Plan plan) {
        return plan == null || plan.cost() == null ? "–" : String.format(Locale.ROOT, "%,.2f", plan.cost());
    }

    /** A migration's statements' id: its script name, with anything but letters, digits, '.', '-' and '_' replaced. */
    private static String anchor(MigrationResult migration) {
        return "statements-" + migration.script().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Why each pending migration is made, who approved it, its last change in git and a link to what it did. */
    private static void records(HtmlWriter html, RehearsalResult result) throws IOException {
        if (result.lint() == null || result.lint().records().isEmpty()) {
            return;
        }
        html.element("h2", "Migration records");
        html.table("version", "description", "why", "approved by", "last change", "measured");
        for (MigrationRecord record : result.lint().records()) {
            MigrationResult measured = result.migrations().stream()
                    .filter(m -> m.script().equals(record.script())).findFirst().orElse(null);
            html.row()
                    .cell(record.version())
                    .cell(record.description())
                    .cell(record.why() == null ? "warning" : "", orDash(record.why()))
                    .cell(record.approvedBy() == null ? "warning" : "", orDash(record.approvedBy()))
                    .cell(record.author() == null ? "–" : record.author() + ", " + record.date());
            measured(html, measured);
            html.end();
        }
        html.end();
    }

    /** A cell with how the migration went, linked to its statements when it has any. */
    private static void measured(HtmlWriter html, MigrationResult measured) throws IOException {
        html.start("td");
        if (measured == null) {
            html.text("not applied");
        } else if (measured.statements().isEmpty()) {
            html.text(measured.status().name().toLowerCase(Locale.ROOT));
        } else {
            html.linkTo(anchor(measured), measured.status().name().toLowerCase(Locale.ROOT) + ", "
                    + measured.statements().size() + " statement(s), " + human(measured.durationMs()));
        }
        html.end();
    }

    /** Where lint's static rules and the measurement disagree; the measurement wins. */
    private static void disagreements(HtmlWriter html, List<Disagreement> disagreements) throws IOException {
        if (disagreements.isEmpty()) {
            return;
        }
        html.element("h2", "Lint and measurement disagree (" + disagreements.size() + ")");
        html.table("migration", "statement", "rule", "lint said", "measurement (wins)");
        for (Disagreement disagreement : disagreements) {
            html.row()
                    .cell(disagreement.migration())
                    .preCell(disagreement.sql())
                    .codeCell(disagreement.rule().id())
                    .cell(disagreement.lint())
                    .cell(disagreement.measurement())
                    .end();
        }
        html.end();
    }

    private static void backfills(HtmlWriter html, List<BackfillResult> backfills) throws IOException {
        if (backfills.isEmpty()) {
            return;
        }
        html.element("h2", "Backfills (" + backfills.size() + ")");
        html.table("backfill", "after", "batch", "batches", "rows", "duration", "rows/s", "batch p50/p95/max",
                "probe stall", "verified", "production estimate", "re-run rows", "advised batch", "error");
        for (BackfillResult backfill : backfills) {
            html.row()
                    .cell(backfill.name() + " (" + backfill.source() + ")")
                    .cell(backfill.after())
                    .numberCell(number(backfill.batch()))
                    .numberCell(number(backfill.batches()))
                    .numberCell(number(backfill.rows()))
                    .numberCell(human(backfill.durationMs()))
                    .numberCell(number(Math.round(backfill.rowsPerSecond())))
                    .numberCell(human(backfill.batchMs().p50()) + " / " + human(backfill.batchMs().p95()) + " / "
                            + human(backfill.batchMs().max()))
                    .numberCell(human(backfill.probeStallMs()))
                    .cell(backfill.verified() == null ? "–" : backfill.verified() ? "yes" : "no");
            estimate(html, backfill.estimate(), backfill.estimateBasis());
            html.cell(backfill.rerunRows() == null ? "–" : number(backfill.rerunRows()))
                    .cell(backfill.advice() == null ? "–" : advice(backfill.advice()))
                    .codeCell(orDash(backfill.error()))
                    .end();
        }
        html.end();
        for (int i = 0; i < backfills.size(); i++) {
            BackfillResult backfill = backfills.get(i);
            BackfillChart chart = new BackfillChart("backfill-" + (i + 1), backfill);
            if (chart.bars() == 0) {
                continue;
            }
            html.element("h3", "Backfill " + backfill.name() + ": " + String.format("%,d batches, %,.0f rows/s",
                    backfill.batches(), backfill.rowsPerSecond()));
            chart.write(html);
        }
    }

    private static void environment(HtmlWriter html, RehearsalResult result) throws IOException {
        RehearsalResult.Shadow shadow = result.shadow();
        html.section("environment", "Environment");
        html.start("table")
                .keyValue("engine", orDash(Reports.lower(shadow.engine())))
                .keyValue("version", orDash(shadow.version()))
                .keyValue("shadow", orDash(Reports.lower(shadow.kind())))
                .keyValue("why this shadow", orDash(shadow.reason()))
                .keyValue("tool", orDash(result.tool().name() + " " + result.tool().version()))
                .end();
        html.element("h3", "Phases");
        html.table("phase", "duration");
        for (Phase phase : result.phases()) {
            html.row().cell(phase.name()).numberCell(human(phase.durationMs())).end();
        }
        html.end().end();
    }

    /** The batch sizes tried, each with its rate and stall, and the one advised. */
    private static String advice(RehearsalResult.BatchAdvice advice) {
        return advice.trials().stream()
                .map(t -> String.format("%,d: %,.0f rows/s, stall p95 %,d ms", t.batch(), t.rowsPerSecond(), t.stallP95Ms()))
                .collect(Collectors.joining("; "))
                + " → " + (advice.recommended() == null ? "none" : advice.recommended());
    }

    private static List<Finding> about(RehearsalResult result, MigrationResult migration) {
        return result.findings().stream()
                .filter(f -> migration.version() != null && migration.version().equals(f.migration())).toList();
    }

    /** What a finding would block in production, for a sentence: empty when it blocks nothing. */
    private static String impact(Finding finding) {
        return finding.impactMs() == 0 ? "" : " (production blocked about " + human(finding.impactMs()) + ")";
    }

    private static String destroyed(Destroyed destroyed) {
        return destroyed.column() == null ? "dropped table " + destroyed.table()
                : destroyed.from() == null ? "dropped column " + destroyed.table() + "." + destroyed.column()
                : destroyed.table() + "." + destroyed.column() + ": " + destroyed.from() + " → " + destroyed.to();
    }

    private static String number(long value) {
        return String.format("%,d", value);
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "–" : value;
    }
}
