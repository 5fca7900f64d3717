package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.history.RunRecord.Capture;
import dev.schemarehearsal.harness.history.RunRecord.FindingRun;
import dev.schemarehearsal.harness.history.RunRecord.MigrationRun;
import dev.schemarehearsal.harness.history.RunRecord.Plan;
import dev.schemarehearsal.harness.history.RunRecord.QueryRun;
import dev.schemarehearsal.harness.history.RunRecord.StatementRun;
import dev.schemarehearsal.harness.history.RunRecord.TableSize;
import dev.schemarehearsal.harness.history.RunRecord.WindowRun;
import dev.schemarehearsal.harness.plan.ProductionPlans;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** A rehearsal's result as the record the history keeps of it. */
final class RunRecords {
    /** Milliseconds always, so that the text's order is the time's. */
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RunRecords() {
    }

    static String at(Instant instant) {
        return AT.format(instant);
    }

    /**
     * @param statistics production's statistics snapshot, or {@code null}
     * @param plans      production's plans of the queries, or {@code null}
     */
    static RunRecord of(RehearsalResult result, StatisticsSnapshot statistics, ProductionPlans plans, Revision revision,
                        Instant at) {
        RehearsalResult.Shadow shadow = result.shadow();
        return new RunRecord(RunRecord.FORMAT, at(at), revision.commit(), revision.branch(),
                new RunRecord.Shadow(lower(shadow.kind()), lower(shadow.engine()), shadow.version()),
                lower(result.verdict()), result.migrations().stream().map(RunRecords::migration).toList(),
                result.queries().stream().map(RunRecords::query).toList(),
                statistics == null ? List.of() : statistics.tables().entrySet().stream()
                        .map(e -> new TableSize(e.getKey(), e.getValue().rows(), e.getValue().bytes())).toList(),
                plans == null ? null : new Capture(plans.collectedAt(), plans.queries()),
                result.findings().stream().map(RunRecords::finding).toList());
    }

    private static MigrationRun migration(MigrationResult migration) {
        Long productionMs = 0L;
        for (StatementResult statement : migration.statements()) {
            Long estimate = statement.estimatedProductionMs();
            productionMs = productionMs == null || estimate == null ? null : productionMs + estimate;
        }
        long blockedMs = 0;
        Long productionBlockedMs = 0L;
        for (Window window : migration.windows()) {
            if (window.blocks().isEmpty()) {
                continue;
            }
            blockedMs = Math.max(blockedMs, window.heldMs());
            Long estimate = window.estimatedProductionMs();
            productionBlockedMs = productionBlockedMs == null || estimate == null ? null
                    : Math.max(productionBlockedMs, estimate);
        }
        return new MigrationRun(migration.version(), migration.script(), lower(migration.status()),
                migration.durationMs(), productionMs, blockedMs, productionBlockedMs,
                migration.statements().stream().map(s -> new StatementRun(s.index(), s.durationMs(),
                        s.estimatedProductionMs())).toList(),
                migration.windows().stream().map(w -> new WindowRun(w.table(), w.mode(),
                        w.blocks().stream().map(RunRecords::lower).toList(), w.fromStatement(), w.toStatement(),
                        w.heldMs(), w.estimatedProductionMs())).toList());
    }

    private static QueryRun query(QueryResult query) {
        return new QueryRun(query.name(), plan(query.before()), plan(query.after()), lower(query.change()));
    }

    private static Plan plan(QueryResult.Plan plan) {
        return plan == null ? null : new Plan(plan.cost(), Hashes.shape(plan.plan()));
    }

    private static FindingRun finding(Finding finding) {
        return new FindingRun(finding.fingerprint(), finding.rule().id(), lower(finding.severity()), finding.migration(),
                finding.statement(), finding.table(), finding.query(), finding.message());
    }

    /** The plan of a query in production's capture, or {@code null}. */
    static PlanNode planOf(Capture capture, String query) {
        return capture == null ? null : capture.queries().get(query);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
