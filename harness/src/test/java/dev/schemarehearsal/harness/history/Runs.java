package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.plan.ProductionPlans;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rehearsal results and run records made by hand, for the history's tests. */
final class Runs {
    static final Revision MAIN = new Revision("0123456789abcdef0123456789abcdef01234567", "main");

    private Runs() {
    }

    /** V12 locks orders for {@code heldMs} on the shadow, for {@code productionMs} at production size. */
    static MigrationResult v12(long heldMs, Long productionMs) {
        return new MigrationResult("12", "orders index", "V12__orders_index.sql", MigrationStatus.APPLIED, heldMs, null,
                List.of(new StatementResult(1, 3, "CREATE INDEX orders_status_idx ON orders (status)", heldMs,
                        List.of(new Lock("orders", "ShareLock", List.of(Access.WRITES), heldMs)), List.of(),
                        List.of("orders"), List.of(), 0, productionMs, 0L, false, null)), List.of(),
                List.of(new Window("orders", "ShareLock", List.of(Access.WRITES), 1, 1, heldMs, productionMs, null, null, 0)));
    }

    static QueryResult query(String name, double cost, String nodeType) {
        QueryResult.Plan plan = new QueryResult.Plan(node(nodeType, cost), cost, null, null);
        return new QueryResult(name, plan, plan, QueryResult.Change.UNCHANGED, List.of(), null, null, null);
    }

    static PlanNode node(String nodeType, double cost) {
        return new PlanNode(nodeType, "orders", nodeType.startsWith("Index") ? "orders_status_idx" : null, null,
                nodeType.startsWith("Seq"), null, 10.0, cost, null, null, List.of());
    }

    static RehearsalResult result(List<MigrationResult> migrations, List<QueryResult> queries, List<Finding> findings) {
        return new RehearsalResult(new RehearsalResult.Tool("schema-rehearsal", "test"),
                findings.isEmpty() ? RehearsalResult.Verdict.PASS : RehearsalResult.Verdict.FAIL,
                new RehearsalResult.Shadow(ShadowKind.EMBEDDED, Engine.POSTGRESQL, "15.4", "test"), List.of(),
                new RehearsalResult.Data(List.of()), migrations, Fingerprints.assign(findings, migrations), List.of(),
                RehearsalResult.Timeline.EMPTY, List.of(), null, List.of(), queries, null);
    }

    static StatisticsSnapshot statistics(long orders) {
        Map<String, StatisticsSnapshot.TableStatistics> tables = new LinkedHashMap<>();
        tables.put("orders", new StatisticsSnapshot.TableStatistics(orders, null, null, orders * 120, Map.of()));
        tables.put("customers", new StatisticsSnapshot.TableStatistics(2_400_000L, null, null, null, Map.of()));
        return new StatisticsSnapshot("postgresql", null, tables);
    }

    static ProductionPlans plans(String collectedAt, String nodeType, double cost) {
        return new ProductionPlans("postgresql", collectedAt, Map.of("pending_orders", node(nodeType, cost)));
    }

    static RunRecord record(RehearsalResult result, StatisticsSnapshot statistics, ProductionPlans plans, String at) {
        return RunRecords.of(result, statistics, plans, MAIN, Instant.parse(at));
    }
}
