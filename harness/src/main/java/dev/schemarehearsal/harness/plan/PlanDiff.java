package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.QueryResult.Plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares a query's plan before and after: what changed, one sentence each, and whether that made it worse. Worse
 * is measured against {@link PlanThresholds}: the cost, a large table read in full where an index served, and the
 * rows and (analyzed) pages read. Execution times are reported, never judged: they vary with the cache and the load. Join method and order, indexes and new sorts or hashes are reported as changes;
 * they make a plan worse only through those measures.
 */
final class PlanDiff {
    /** Nodes that buffer or hash their input: one more of them is worth saying. */
    private static final List<String> SORTS_AND_HASHES = List.of("Sort", "Incremental Sort", "Hash", "HashAggregate",
            "HashSetOp", "Temporary table", "Materialize");

    /** The outcome: the classification and its sentences, regressions first. */
    record Result(Change change, List<String> changes) { }

    private final PlanThresholds thresholds;

    PlanDiff(PlanThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * @param tableRows the planner's rows of the tables the plans read, by relation, where the engine names tables
     */
    Result compare(Plan before, Plan after, Map<String, Long> tableRows) {
        List<String> worse = new ArrayList<>();
        List<String> better = new ArrayList<>();
        List<String> other = new ArrayList<>();
        List<PlanNode> was = before.plan().flatten();
        List<PlanNode> now = after.plan().flatten();

        scans(was, now, tableRows, worse, other, "is now read in full (%s, ~%s rows) where %s served before");
        scans(now, was, tableRows, better, other, "is no longer read in full (%s, ~%s rows): %s serves it now");
        Set<String> lostIndexes = difference(indexes(was), indexes(now));
        Set<String> newIndexes = difference(indexes(now), indexes(was));
        if (!lostIndexes.isEmpty()) {
            other.add("index " + String.join(", ", lostIndexes) + " is no longer used");
        }
        if (!newIndexes.isEmpty()) {
            other.add("index " + String.join(", ", newIndexes) + " is used now");
        }
        List<String> joinsBefore = joins(was);
        List<String> joinsAfter = joins(now);
        if (!joinsBefore.equals(joinsAfter)) {
            other.add("join method changed: " + list(joinsBefore) + " → " + list(joinsAfter));
        }
        List<String> orderBefore = relations(was);
        List<String> orderAfter = relations(now);
        if (!orderBefore.equals(orderAfter) && Set.copyOf(orderBefore).equals(Set.copyOf(orderAfter))) {
            other.add("join order changed: " + list(orderBefore) + " → " + list(orderAfter));
        }
        for (String type : SORTS_AND_HASHES) {
            long added = count(now, type) - count(was, type);
            if (added > 0) {
                other.add(added == 1 ? "a new " + type : added + " new " + type + " nodes");
            }
        }
        ratio(before.cost(), after.cost(), thresholds.maxCostRatio(), "the planner's cost", worse, better);
        ratio(rowsRead(was), rowsRead(now), thresholds.maxReadGrowth(), "the estimated rows read", worse, better);
        // Pages, not times: a time depends on the cache and the machine's load, the pages a plan reads do not.
        ratio(before.pages(), after.pages(), thresholds.maxReadGrowth(), "the pages read", worse, better);
        if (!signature(was).equals(signature(now)) && other.isEmpty() && worse.isEmpty() && better.isEmpty()) {
            other.add("the plan's shape changed");
        }

        List<String> sentences = new ArrayList<>(worse);
        sentences.addAll(better);
        sentences.addAll(other);
        Change change = !worse.isEmpty() ? Change.REGRESSED : !better.isEmpty() ? Change.IMPROVED
                : !other.isEmpty() ? Change.CHANGED : Change.UNCHANGED;
        return new Result(change, sentences);
    }

    /**
     * Tables {@code to} reads in full that {@code from} read otherwise (through an index): large ones are a
     * regression (or, the other way round, an improvement), small ones a change.
     */
    private void scans(List<PlanNode> from, List<PlanNode> to, Map<String, Long> tableRows, List<String> significant,
                       List<String> other, String sentence) {
        Set<String> scannedBefore = fullScans(from);
        for (PlanNode node : to) {
            if (!node.fullScan() || scannedBefore.contains(node.relation())
                    || from.stream().noneMatch(n -> node.relation().equals(n.relation()))) {
                continue;
            }
            long rows = tableRows.getOrDefault(node.relation(),
                    node.estimatedRows() == null ? 0 : Math.round(node.estimatedRows()));
            Set<String> indexes = indexesOn(from, node.relation());
            String access = indexes.isEmpty() ? "an index" : "index " + String.join(", ", indexes);
            String text = node.relation() + " " + String.format(Locale.ROOT, sentence, node.nodeType(),
                    String.format(Locale.ROOT, "%,d", rows), access);
            (rows >= thresholds.largeTableRows() ? significant : other).add(text);
        }
    }

    private static void ratio(Double before, Double after, double limit, String what, List<String> worse,
                              List<String> better) {
        if (before == null || after == null) {
            return;
        }
        if (before > 0 && after >= before * limit) {
            worse.add(what + " grew ×" + factor(after / before) + " (" + number(before)
                    + " → " + number(after) + ")");
        } else if (after > 0 && before >= after * limit) {
            better.add(what + " fell ×" + factor(before / after) + " (" + number(before) + " → " + number(after) + ")");
        }
    }

    /** Rows the scans of tables are estimated to read; {@code null} when no node says. */
    private static Double rowsRead(List<PlanNode> nodes) {
        List<Double> rows = nodes.stream().filter(n -> n.relation() != null && n.estimatedRows() != null)
                .map(PlanNode::estimatedRows).toList();
        return rows.isEmpty() ? null : rows.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Set<String> fullScans(List<PlanNode> nodes) {
        return nodes.stream().filter(PlanNode::fullScan).map(PlanNode::relation).collect(Collectors.toSet());
    }

    private static Set<String> indexes(List<PlanNode> nodes) {
        return nodes.stream().map(PlanNode::index).filter(Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Indexes the plan reads a relation through: on the node itself, or (bitmap scans) on the nodes under it. */
    private static Set<String> indexesOn(List<PlanNode> nodes, String relation) {
        return nodes.stream().filter(n -> relation.equals(n.relation()))
                .flatMap(n -> n.flatten().stream()).map(PlanNode::index).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<String> joins(List<PlanNode> nodes) {
        return nodes.stream().map(PlanNode::nodeType)
                .filter(t -> t.contains("Join") || t.contains("join") || t.equalsIgnoreCase("Nested loop")
                        || t.contains("nested loop") || t.startsWith("Batched key access"))
                .toList();
    }

    private static List<String> relations(List<PlanNode> nodes) {
        return nodes.stream().map(PlanNode::relation).filter(Objects::nonNull).toList();
    }

    private static long count(List<PlanNode> nodes, String type) {
        return nodes.stream().filter(n -> n.nodeType().equals(type)).count();
    }

    /** What makes two plans the same shape: every node's type, relation, index and join type, in order. */
    private static List<List<String>> signature(List<PlanNode> nodes) {
        return nodes.stream().map(n -> Arrays.asList(n.nodeType(), n.relation(), n.index(), n.joinType())).toList();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new LinkedHashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }

    private static String factor(double factor) {
        return String.format(Locale.ROOT, "%.1f", factor);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.2f", value);
    }
}
