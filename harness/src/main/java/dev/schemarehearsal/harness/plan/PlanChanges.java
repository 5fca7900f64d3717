package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.QueryResult.Plan;

import java.util.List;
import java.util.Map;

/** What changed between two plans of one query, in the words of the report's plan comparison. */
public final class PlanChanges {
    private PlanChanges() {
    }

    /** One sentence per change, the worse ones first, judged by the default thresholds; empty when none. */
    public static List<String> between(PlanNode before, PlanNode after) {
        return new PlanDiff(PlanThresholds.DEFAULT).compare(new Plan(before, before.cost(), null, null),
                new Plan(after, after.cost(), null, null), Map.of()).changes();
    }
}
