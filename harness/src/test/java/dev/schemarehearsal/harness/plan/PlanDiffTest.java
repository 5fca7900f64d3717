package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanDiffTest {
    private final PlanDiff diff = new PlanDiff(PlanThresholds.DEFAULT);

    private static PlanNode scan(String type, String relation, String index, boolean full, double rows, Double cost) {
        return new PlanNode(type, relation, index, null, full, null, rows, cost, null, null, List.of());
    }

    private static PlanNode node(String type, Double cost, PlanNode... children) {
        return new PlanNode(type, null, null, null, false, null, null, cost, null, null, List.of(children));
    }

    private static Plan plan(PlanNode root) {
        return new Plan(root, root.cost(), null, null);
    }

    private static final PlanNode BY_INDEX = scan("Index Scan", "orders", "orders_status_idx", false, 2000, 250.0);

    @Test
    void theSamePlanIsUnchanged() {
        PlanDiff.Result result = diff.compare(plan(BY_INDEX), plan(BY_INDEX), Map.of());
        assertThat(result.change()).isEqualTo(Change.UNCHANGED);
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void aLargeTableReadInFullWhereAnIndexServedRegressed() {
        PlanDiff.Result result = diff.compare(plan(BY_INDEX), plan(scan("Seq Scan", "orders", null, true, 2000, 400.0)),
                Map.of("orders", 200_000L));
        assertThat(result.change()).isEqualTo(Change.REGRESSED);
        assertThat(result.changes()).containsExactly(
                "orders is now read in full (Seq Scan, ~200,000 rows) where index orders_status_idx served before",
                "index orders_status_idx is no longer used");
    }

    @Test
    void aSmallTableReadInFullIsAChangeAndTheReverseOnALargeOneAnImprovement() {
        PlanDiff.Result small = diff.compare(plan(BY_INDEX), plan(scan("Seq Scan", "orders", null, true, 2000, 300.0)),
                Map.of("orders", 5_000L));
        assertThat(small.change()).isEqualTo(Change.CHANGED);

        PlanDiff.Result better = diff.compare(plan(scan("Seq Scan", "orders", null, true, 2000, 400.0)), plan(BY_INDEX),
                Map.of("orders", 200_000L));
        assertThat(better.change()).isEqualTo(Change.IMPROVED);
        assertThat(better.changes().get(0))
                .isEqualTo("orders is no longer read in full (Seq Scan, ~200,000 rows): index orders_status_idx serves it now");
    }

    @Test
    void theCostRatioDecidesWhenTheShapeStays() {
        assertThat(diff.compare(plan(BY_INDEX), plan(scan("Index Scan", "orders", "orders_status_idx", false, 2000, 499.0)),
                Map.of()).change()).isEqualTo(Change.UNCHANGED);
        PlanDiff.Result worse = diff.compare(plan(BY_INDEX),
                plan(scan("Index Scan", "orders", "orders_status_idx", false, 2000, 500.0)), Map.of());
        assertThat(worse.change()).isEqualTo(Change.REGRESSED);
        assertThat(worse.changes()).containsExactly("the planner's cost grew ×2.0 (250 → 500)");
        assertThat(diff.compare(plan(BY_INDEX), plan(scan("Index Scan", "orders", "orders_status_idx", false, 2000, 80.0)),
                Map.of()).change()).isEqualTo(Change.IMPROVED);
        assertThat(new PlanDiff(new PlanThresholds(3, 10_000, 4)).compare(plan(BY_INDEX),
                plan(scan("Index Scan", "orders", "orders_status_idx", false, 2000, 500.0)), Map.of()).change())
                .isEqualTo(Change.UNCHANGED);
    }

    @Test
    void joinMethodOrderAndNewSortsAreChanges() {
        PlanNode customers = scan("Index Scan", "customers", "customers_pkey", false, 1, 8.0);
        PlanNode orders = scan("Index Scan", "orders", "orders_customer_id_idx", false, 10, 40.0);
        Plan nested = plan(node("Nested Loop", 50.0, customers, orders));
        Plan hashed = plan(node("Sort", 60.0, node("Hash Join", 55.0, orders, node("Hash", 9.0, customers))));

        PlanDiff.Result result = diff.compare(nested, hashed, Map.of());
        assertThat(result.change()).isEqualTo(Change.CHANGED);
        assertThat(result.changes()).containsExactly("join method changed: Nested Loop → Hash Join",
                "join order changed: customers, orders → orders, customers", "a new Sort", "a new Hash");
    }

    @Test
    void withoutCostsTheRowsAndPagesReadDecide() {
        // MariaDB 10 plans carry no cost: the rows examined, and analyzed the pages accessed, stand in.
        Plan lookup = plan(node("Query block", null, scan("Index lookup", "c", "customers_code_idx", false, 1, null)));
        Plan range = plan(node("Query block", null, scan("Index range scan", "c", "customers_code_idx", false, 5, null)));
        PlanDiff.Result rows = diff.compare(lookup, range, Map.of());
        assertThat(rows.change()).isEqualTo(Change.REGRESSED);
        assertThat(rows.changes().get(0)).isEqualTo("the estimated rows read grew ×5.0 (1.00 → 5.00)");

        PlanNode full = node("Query block", null, scan("Full scan", "o", null, true, 200_000, null));
        PlanDiff.Result pages = diff.compare(new Plan(full, null, 60.0, 600.0), new Plan(full, null, 40.0, 5000.0), Map.of());
        assertThat(pages.change()).isEqualTo(Change.REGRESSED);
        // The execution time fell (a warm cache), which is reported nowhere: times don't judge plans.
        assertThat(pages.changes()).containsExactly("the pages read grew ×8.3 (600 → 5,000)");
    }
}
