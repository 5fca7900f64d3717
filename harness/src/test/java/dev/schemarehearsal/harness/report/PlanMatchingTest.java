package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.report.PlanMatching.Mark;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanMatchingTest {

    private static PlanNode node(String type, String relation, String index, boolean fullScan, PlanNode... children) {
        return new PlanNode(type, relation, index, null, fullScan, null, 1.0, 1.0, null, null, List.of(children));
    }

    @Test
    void anIndexScanTurnedFullScanIsChangedAndItsBitmapChildRemoved() {
        PlanNode bitmapIndex = node("Bitmap Index Scan", null, "orders_status_idx", false);
        PlanNode bitmapHeap = node("Bitmap Heap Scan", "orders", null, false, bitmapIndex);
        PlanNode limitBefore = node("Limit", null, null, false, bitmapHeap);
        PlanNode seq = node("Seq Scan", "orders", null, true);
        PlanNode limitAfter = node("Limit", null, null, false, seq);

        PlanMatching matching = new PlanMatching(limitBefore, limitAfter);

        assertThat(matching.before(limitBefore)).isEqualTo(Mark.SAME);
        assertThat(matching.after(limitAfter)).isEqualTo(Mark.SAME);
        assertThat(matching.before(bitmapHeap)).isEqualTo(Mark.CHANGED);
        assertThat(matching.after(seq)).isEqualTo(Mark.CHANGED);
        assertThat(matching.partner(seq)).isSameAs(bitmapHeap);
        assertThat(matching.before(bitmapIndex)).isEqualTo(Mark.REMOVED);
    }

    @Test
    void childrenPairByRelationWhateverTheirOrderAndNewTablesAreAdded() {
        PlanNode customersBefore = node("Seq Scan", "customers", null, true);
        PlanNode ordersBefore = node("Index Scan", "orders", "orders_pkey", false);
        PlanNode ordersAfter = node("Index Scan", "orders", "orders_pkey", false);
        PlanNode customersAfter = node("Index Scan", "customers", "customers_pkey", false);
        PlanNode items = node("Seq Scan", "items", null, true);
        PlanNode before = node("Hash Join", null, null, false, customersBefore, ordersBefore);
        PlanNode after = node("Nested Loop", null, null, false, ordersAfter, customersAfter, items);

        PlanMatching matching = new PlanMatching(before, after);

        assertThat(matching.before(before)).isEqualTo(Mark.CHANGED);
        assertThat(matching.after(ordersAfter)).isEqualTo(Mark.SAME);
        assertThat(matching.partner(ordersAfter)).isSameAs(ordersBefore);
        assertThat(matching.after(customersAfter)).isEqualTo(Mark.CHANGED);
        assertThat(matching.before(customersBefore)).isEqualTo(Mark.CHANGED);
        assertThat(matching.after(items)).isEqualTo(Mark.ADDED);
    }

    @Test
    void leftoverNodesReadingNoTablePairByPositionAndEqualSiblingsStayApart() {
        PlanNode scanA = node("Seq Scan", "t", null, true);
        PlanNode scanB = node("Seq Scan", "t", null, true);
        PlanNode sort = node("Sort", null, null, false, scanA);
        PlanNode incremental = node("Incremental Sort", null, null, false, scanB);
        PlanNode twinBefore1 = node("Result", null, null, false);
        PlanNode twinBefore2 = node("Result", null, null, false);
        PlanNode twinAfter = node("Result", null, null, false);
        PlanNode before = node("Append", null, null, false, sort, twinBefore1, twinBefore2);
        PlanNode after = node("Append", null, null, false, incremental, twinAfter);

        PlanMatching matching = new PlanMatching(before, after);

        assertThat(matching.before(sort)).isEqualTo(Mark.CHANGED);
        assertThat(matching.partner(incremental)).isSameAs(sort);
        assertThat(matching.after(scanB)).isEqualTo(Mark.SAME);
        assertThat(matching.partner(twinAfter)).isSameAs(twinBefore1);
        assertThat(matching.before(twinBefore2)).isEqualTo(Mark.REMOVED);
    }
}
