package dev.schemarehearsal.harness.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult.Plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads PostgreSQL's {@code EXPLAIN (FORMAT JSON)} documents, with or without {@code ANALYZE}, 14 to 18. */
final class PostgresPlans {
    /** The condition fields in the order EXPLAIN's text form prints them. */
    private static final List<String> CONDITIONS = List.of("Hash Cond", "Merge Cond", "Index Cond", "Recheck Cond",
            "TID Cond", "Join Filter", "One-Time Filter", "Filter");
    /** Aggregate and SetOp nodes as EXPLAIN's text form names them by strategy, so a new hash shows in the name. */
    private static final Map<String, String> AGGREGATES = Map.of("Hashed", "HashAggregate", "Sorted", "GroupAggregate",
            "Mixed", "MixedAggregate", "Plain", "Aggregate");

    private PostgresPlans() {
    }

    static Plan parse(String document) {
        JsonNode top = PlanDocuments.read(document).path(0);
        PlanNode root = node(top.path("Plan"));
        JsonNode plan = top.path("Plan");
        Double hit = PlanDocuments.number(plan, "Shared Hit Blocks");
        Double read = PlanDocuments.number(plan, "Shared Read Blocks");
        return new Plan(root, root.cost(), PlanDocuments.number(top, "Execution Time"),
                hit == null || read == null ? null : hit + read);
    }

    private static PlanNode node(JsonNode json) {
        String type = json.path("Node Type").asText();
        String strategy = json.path("Strategy").asText(null);
        if (type.equals("Aggregate") && strategy != null) {
            type = AGGREGATES.getOrDefault(strategy, type);
        } else if (type.equals("SetOp") && "Hashed".equals(strategy)) {
            type = "HashSetOp";
        }
        String partial = json.path("Partial Mode").asText("Simple");
        if (!partial.equals("Simple")) {
            type = partial + " " + type;
        }
        if (json.path("Parallel Aware").asBoolean(false)) {
            type = "Parallel " + type;
        }
        List<String> conditions = new ArrayList<>();
        for (String field : CONDITIONS) {
            if (json.has(field)) {
                conditions.add(field + ": " + json.get(field).asText());
            }
        }
        List<PlanNode> children = new ArrayList<>();
        json.path("Plans").forEach(child -> children.add(node(child)));
        Double loops = PlanDocuments.number(json, "Actual Loops");
        Double rows = PlanDocuments.number(json, "Actual Rows");
        Double time = PlanDocuments.number(json, "Actual Total Time");
        return new PlanNode(type, json.path("Relation Name").asText(null), json.path("Index Name").asText(null),
                json.path("Join Type").asText(null), json.path("Node Type").asText().equals("Seq Scan"),
                conditions.isEmpty() ? null : String.join("; ", conditions), PlanDocuments.number(json, "Plan Rows"),
                PlanDocuments.number(json, "Total Cost"), rows == null || loops == null ? null : rows * loops,
                time == null || loops == null ? null : time * loops, children);
    }
}
