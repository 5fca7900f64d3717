package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.PlanNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pairs the nodes of a query's plan before and after, for the report's side-by-side diff, and marks each node of
 * either tree: the same, changed (its type, index or full scan differ from its partner's), or only in one tree
 * (removed before, added after). The roots are partners; below a pair, children reading the same relation (or, where
 * no relation is read, of the same type) pair up in order, and what is left pairs by position when neither side reads
 * a table the other does not. Nodes are told apart by identity: two equal subtrees are still two places in a plan.
 */
final class PlanMatching {
    enum Mark { SAME, CHANGED, REMOVED, ADDED }

    private final Map<PlanNode, PlanNode> partners = new IdentityHashMap<>();

    PlanMatching(PlanNode before, PlanNode after) {
        pair(before, after);
    }

    /** The mark of a node of the plan before. */
    Mark before(PlanNode node) {
        return mark(node, Mark.REMOVED);
    }

    /** The mark of a node of the plan after. */
    Mark after(PlanNode node) {
        return mark(node, Mark.ADDED);
    }

    /** The node a node was paired with in the other tree, or {@code null}. */
    PlanNode partner(PlanNode node) {
        return partners.get(node);
    }

    private Mark mark(PlanNode node, Mark alone) {
        PlanNode partner = partners.get(node);
        if (partner == null) {
            return alone;
        }
        boolean same = node.nodeType().equals(partner.nodeType()) && Objects.equals(node.index(), partner.index())
                && node.fullScan() == partner.fullScan();
        return same ? Mark.SAME : Mark.CHANGED;
    }

    private void pair(PlanNode before, PlanNode after) {
        partners.put(before, after);
        partners.put(after, before);
        List<PlanNode> was = new ArrayList<>(before.children());
        List<PlanNode> now = new ArrayList<>(after.children());
        List<PlanNode[]> pairs = new ArrayList<>();
        for (PlanNode child : after.children()) {
            was.stream().filter(w -> key(w).equals(key(child))).findFirst().ifPresent(w -> {
                pairs.add(new PlanNode[] {w, child});
                // By identity: an equal sibling elsewhere is another node.
                was.removeIf(n -> n == w);
                now.removeIf(n -> n == child);
            });
        }
        for (int i = 0; i < Math.min(was.size(), now.size()); i++) {
            if (Objects.equals(was.get(i).relation(), now.get(i).relation())) {
                pairs.add(new PlanNode[] {was.get(i), now.get(i)});
            }
        }
        pairs.forEach(p -> pair(p[0], p[1]));
    }

    private static String key(PlanNode node) {
        return node.relation() != null ? "relation " + node.relation() : "type " + node.nodeType();
    }
}
