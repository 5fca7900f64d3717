package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.PlanNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What makes two plans "the same plan" when the shadow's is compared with production's: every node's type, the
 * relation and index it reads and its join type, depth first (so join order and join method count). Costs and row
 * numbers don't: a 1 % sample never reproduces them exactly. Parallel nodes count ({@code Gather}, {@code Parallel
 * Seq Scan}, {@code Partial Aggregate}): a parallel plan is another plan.
 */
public final class PlanShape {
    private PlanShape() {
    }

    /** The plan's shape, one line a node. */
    public static List<String> of(PlanNode plan) {
        List<String> shape = new ArrayList<>();
        for (PlanNode node : plan.flatten()) {
            shape.add(line(node.nodeType(), node));
        }
        return shape;
    }

    /**
     * The shape with parallelism taken out: no {@code Gather} nodes and no partial aggregates, and {@code Parallel}
     * or {@code Finalize} nodes as their serial kind.
     */
    public static List<String> serial(PlanNode plan) {
        List<String> shape = new ArrayList<>();
        for (PlanNode node : plan.flatten()) {
            String type = node.nodeType();
            if (type.equals("Gather") || type.equals("Gather Merge") || type.startsWith("Partial ")) {
                continue;
            }
            shape.add(line(type.replaceFirst("^Parallel ", "").replaceFirst("^Finalize ", ""), node));
        }
        return shape;
    }

    private static String line(String type, PlanNode node) {
        return type + (node.relation() == null ? "" : " on " + node.relation())
                + (node.index() == null ? "" : " using " + node.index())
                + (node.joinType() == null ? "" : " (" + node.joinType() + ")");
    }
}
