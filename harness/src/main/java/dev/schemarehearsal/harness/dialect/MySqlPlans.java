package dev.schemarehearsal.harness.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult.Plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code EXPLAIN FORMAT=JSON} documents of MySQL 8 (format version 1, the default) and of MariaDB, and
 * MariaDB's {@code ANALYZE FORMAT=JSON}. Both nest query blocks, tables and the operations around them (sorts,
 * temporary tables, join buffers) as objects named by what they are; what neither names is walked through, so a
 * query block inside an unknown wrapper still counts.
 */
final class MySqlPlans {
    private static final Map<String, String> ACCESS = Map.ofEntries(
            Map.entry("ALL", "Full scan"), Map.entry("hash_ALL", "Full scan"),
            Map.entry("index", "Index scan"), Map.entry("hash_index", "Index scan"),
            Map.entry("range", "Index range scan"), Map.entry("hash_range", "Index range scan"),
            Map.entry("ref", "Index lookup"), Map.entry("eq_ref", "Index lookup"), Map.entry("ref_or_null", "Index lookup"),
            Map.entry("unique_subquery", "Index lookup"), Map.entry("index_subquery", "Index lookup"),
            Map.entry("const", "Single-row lookup"), Map.entry("system", "Single-row lookup"),
            Map.entry("index_merge", "Index merge"), Map.entry("fulltext", "Fulltext lookup"));
    /** MariaDB's join buffer algorithms, and MySQL's {@code using_join_buffer} values. */
    private static final Map<String, String> JOIN_BUFFER = Map.of("BNL", "Block nested loop", "BNLH", "Hash join",
            "BKA", "Batched key access", "BKAH", "Batched key access (hashed)", "hash join", "Hash join",
            "Block Nested Loop", "Block nested loop", "Batched Key Access", "Batched key access");
    /** The root of MySQL's EXPLAIN ANALYZE tree: {@code (actual time=first..last rows=r loops=l)}. */
    private static final Pattern ACTUAL = Pattern.compile("actual time=[0-9.]+\\.\\.([0-9.]+) rows=[0-9.]+ loops=([0-9]+)");

    private MySqlPlans() {
    }

    static Plan parse(String document) {
        JsonNode block = PlanDocuments.read(document).path("query_block");
        PlanNode root = block(block);
        List<JsonNode> stats = block.findValues("r_engine_stats");
        return new Plan(root, root.cost(), PlanDocuments.number(block, "r_total_time_ms"), stats.isEmpty() ? null
                : stats.stream().mapToDouble(s -> s.path("pages_accessed").asDouble(0)).sum());
    }

    /** The execution time of MySQL's {@code EXPLAIN ANALYZE} (tree format): its root's last row time × loops. */
    static Double analyzedMs(String tree) {
        Matcher actual = ACTUAL.matcher(tree);
        return actual.find() ? Double.parseDouble(actual.group(1)) * Integer.parseInt(actual.group(2)) : null;
    }

    private static PlanNode block(JsonNode json) {
        JsonNode costInfo = json.path("cost_info");
        Double cost = costInfo.isObject() ? PlanDocuments.number(costInfo, "query_cost") : PlanDocuments.number(json, "cost");
        return new PlanNode("Query block", null, null, null, false, condition(json, "having_condition", "Having"),
                null, cost, null, PlanDocuments.number(json, "r_total_time_ms"), parts(json));
    }

    /** The plan nodes an object holds, in the order the engine wrote them. */
    private static List<PlanNode> parts(JsonNode json) {
        List<PlanNode> nodes = new ArrayList<>();
        json.fields().forEachRemaining(field -> nodes.addAll(part(field.getKey(), field.getValue())));
        return nodes;
    }

    private static List<PlanNode> part(String key, JsonNode value) {
        return switch (key) {
            case "query_block" -> List.of(block(value));
            case "table" -> List.of(table(value));
            case "nested_loop" -> {
                List<PlanNode> tables = new ArrayList<>();
                value.forEach(element -> tables.addAll(parts(element)));
                yield tables.size() == 1 ? tables : List.of(operation("Nested loop", null, tables));
            }
            case "block-nl-join" -> List.of(operation(JOIN_BUFFER.getOrDefault(value.path("join_type").asText(),
                    "Block nested loop"), condition(value, "attached_condition", "Condition"), parts(value)));
            case "filesort" -> List.of(operation("Sort", null, parts(value)));
            case "temporary_table" -> List.of(operation("Temporary table", null, parts(value)));
            case "ordering_operation", "grouping_operation", "duplicates_removal" -> {
                List<PlanNode> inner = parts(value);
                if (value.path("using_filesort").asBoolean(false)) {
                    inner = List.of(operation("Sort", null, inner));
                }
                yield value.path("using_temporary_table").asBoolean(false)
                        ? List.of(operation("Temporary table", null, inner)) : inner;
            }
            case "union_result" -> List.of(operation("Union", null, parts(value)));
            default -> {
                List<PlanNode> nested = new ArrayList<>();
                if (value.isObject()) {
                    nested.addAll(parts(value));
                } else if (value.isArray()) {
                    value.forEach(element -> nested.addAll(element.isObject() ? parts(element) : List.of()));
                }
                yield nested;
            }
        };
    }

    private static PlanNode operation(String type, String condition, List<PlanNode> children) {
        return new PlanNode(type, null, null, null, false, condition, null, null, null, null, children);
    }

    private static PlanNode table(JsonNode json) {
        String access = json.path("access_type").asText(null);
        if (access == null) {
            // A plan that only carries a message, such as "Impossible WHERE" or "No tables used".
            return operation("Message", json.path("message").asText(null), parts(json));
        }
        List<String> conditions = new ArrayList<>();
        for (String[] field : new String[][] {{"index_condition", "Index condition"}, {"attached_condition", "Condition"}}) {
            String text = condition(json, field[0], field[1]);
            if (text != null) {
                conditions.add(text);
            }
        }
        Double rows = PlanDocuments.number(json, json.has("rows_examined_per_scan") ? "rows_examined_per_scan" : "rows");
        JsonNode costInfo = json.path("cost_info");
        Double cost = costInfo.isObject() && costInfo.has("read_cost")
                ? Double.valueOf(PlanDocuments.number(costInfo, "read_cost") + PlanDocuments.number(costInfo, "eval_cost"))
                : PlanDocuments.number(json, "cost");
        Double loops = PlanDocuments.number(json, "r_loops");
        Double actualRows = PlanDocuments.number(json, "r_rows");
        Double tableMs = PlanDocuments.number(json, "r_table_time_ms");
        Double otherMs = PlanDocuments.number(json, "r_other_time_ms");
        Double actualMs = tableMs == null ? PlanDocuments.number(json, "r_total_time_ms")
                : Double.valueOf(tableMs + (otherMs == null ? 0 : otherMs));
        PlanNode table = new PlanNode(ACCESS.getOrDefault(access, access), json.path("table_name").asText(null),
                index(json.path("key").asText(null)), access, access.equals("ALL") || access.equals("hash_ALL"),
                conditions.isEmpty() ? null : String.join("; ", conditions), rows, cost,
                actualRows == null || loops == null ? null : actualRows * loops, actualMs, parts(json));
        String buffer = json.path("using_join_buffer").asText(null);
        return buffer == null ? table : operation(JOIN_BUFFER.getOrDefault(buffer, buffer), null, List.of(table));
    }

    /** MariaDB's hash joins name the hash table {@code #hash#<index>}, or {@code #hash#$hj} when no index serves. */
    private static String index(String key) {
        if (key == null || !key.startsWith("#hash#")) {
            return key;
        }
        String index = key.substring("#hash#".length());
        return index.equals("$hj") ? null : index;
    }

    private static String condition(JsonNode json, String field, String label) {
        return json.hasNonNull(field) ? label + ": " + json.get(field).asText() : null;
    }
}
