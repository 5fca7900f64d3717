package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.SampleQueries;
import dev.schemarehearsal.harness.sample.SamplePlan.Via;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which foreign keys the closure follows, in which direction, how each lookup reads its table, and how many rows that
 * should take: known from the catalog and the source's statistics before a row is read.
 *
 * <p>Up: every row a sampled row references is taken, always (the sample must load with its constraints on). Down:
 * rows that reference sampled rows are taken along the foreign keys of a table's {@code via} (all of them without
 * one), up to its {@code referencing} limit.
 */
final class ClosurePlan {
    /**
     * The share of a table's rows above which a lookup of that many keys by a unique index reads the table once with a
     * hash join instead of probing the index per key: a probe costs about as much as reading twenty to fifty rows in a
     * scan (measured with the closure benchmark), and the lower bound keeps scans for lookups they clearly win.
     */
    static final double SCAN_SHARE = 0.05;
    /**
     * The share of a table's rows above which the keys of an indexed foreign key join the round's scan of the table,
     * when another foreign key needs one anyway: an index probe costs about as much as probing a hash of keys with
     * five hundred rows of a scan that reads them anyway.
     */
    static final double JOIN_SHARE = 0.002;

    /**
     * A foreign key between two sampled tables: the child's columns reference the parent's.
     *
     * @param name as the summary names it, e.g. {@code orders(customer_id) -> customers(id)}
     */
    record Edge(SourceTable child, Reference reference, SourceTable parent, String name) {
        Edge(SourceTable child, Reference reference, SourceTable parent) {
            this(child, reference, parent, child.name.name() + "(" + String.join(", ", reference.columns()) + ") -> "
                    + reference.parent().name() + "(" + String.join(", ", reference.parentColumns()) + ")");
        }
    }

    /** Expected rows of a table in the sample. */
    record Estimate(double selected, double referenced, double referencing) {
        double total() {
            return selected + referenced + referencing;
        }
    }

    private final Path config;
    /** The sampled tables, by name. */
    private final List<SourceTable> tables;
    private final List<Edge> edges = new ArrayList<>();
    private final Set<Edge> followed = new LinkedHashSet<>();
    private final List<String> unfollowed = new ArrayList<>();
    /** Each table's indexes: their columns in index order, by index name. */
    private final Map<SourceTable, Map<String, List<String>>> indexes;
    /** Each table's columns' types, as lookups cast keys to them. */
    private final Map<SourceTable, Map<String, String>> types;

    /** Reads from the catalog each table's indexes and column types, for its lookups. */
    static ClosurePlan read(Source source, SampleQueries queries, Path config, Map<TableName, SourceTable> tables)
            throws SQLException {
        Map<SourceTable, Map<String, List<String>>> indexes = new LinkedHashMap<>();
        Map<SourceTable, Map<String, String>> types = new LinkedHashMap<>();
        for (SourceTable table : tables.values()) {
            indexes.put(table, queries.indexes(source.connection(), table.name));
            types.put(table, queries.columnTypes(source.connection(), table.name));
        }
        return new ClosurePlan(config, tables, indexes, types);
    }

    /**
     * @param indexes each table's indexes: their columns in index order, by index name
     * @param types   each table's columns' types, as lookups cast keys to them
     * @throws ConfigurationException for a {@code via} entry that names no foreign key, or one that cannot be followed,
     *                                or foreign keys followed without a limit around a cycle
     */
    ClosurePlan(Path config, Map<TableName, SourceTable> tables, Map<SourceTable, Map<String, List<String>>> indexes,
                Map<SourceTable, Map<String, String>> types) {
        this.config = config;
        this.tables = tables.values().stream().sorted(Comparator.comparing(t -> t.name.name())).toList();
        this.indexes = indexes;
        this.types = types;
        for (SourceTable child : tables.values()) {
            Set<Reference> along = along(child, tables);
            for (Reference reference : child.references) {
                SourceTable parent = tables.get(reference.parent());
                if (parent == null) {
                    unfollowed.add(child.name.name() + "(" + String.join(", ", reference.columns()) + ") -> "
                            + reference.parent().name() + "(" + String.join(", ", reference.parentColumns()) + "): "
                            + reference.parent().name() + " is excluded or in another schema");
                    continue;
                }
                parent.referencedBy(reference.parentColumns());
                Edge edge = new Edge(child, reference, parent);
                edges.add(edge);
                if (child.referencingLimit > 0 && along.contains(reference)) {
                    followed.add(edge);
                }
            }
        }
        checkClosable();
    }

    List<Edge> edges() {
        return edges;
    }

    /** The sampled tables, by name: the order the closure visits them in. */
    List<SourceTable> tables() {
        return tables;
    }

    /** The type of a table's column, as lookups cast keys to it. */
    String type(SourceTable table, String column) {
        return types.get(table).get(column);
    }

    /** Whether rows of the edge's child that reference sampled rows of its parent are taken. */
    boolean followed(Edge edge) {
        return followed.contains(edge);
    }

    /** Foreign keys the closure cannot follow, with why. */
    List<String> unfollowed() {
        return unfollowed;
    }

    /** The index that looks up the table's rows by these columns, or {@code null}: the table is scanned instead. */
    String index(SourceTable table, List<String> columns) {
        String best = null;
        for (Map.Entry<String, List<String>> index : indexes.getOrDefault(table, Map.of()).entrySet()) {
            List<String> leading = index.getValue().subList(0, Math.min(columns.size(), index.getValue().size()));
            if (leading.size() == columns.size() && Set.copyOf(leading).equals(Set.copyOf(columns))
                    && (best == null || index.getValue().size() < indexes.get(table).get(best).size())) {
                best = index.getKey();
            }
        }
        return best;
    }

    /** The foreign keys of the table along which its rows referencing sampled rows are taken, as its via names them. */
    private Set<Reference> along(SourceTable table, Map<TableName, SourceTable> tables) {
        if (table.rule == null || table.rule.via() == null) {
            return Set.copyOf(table.references);
        }
        Set<Reference> along = new LinkedHashSet<>();
        List<Via> via = table.rule.via();
        for (int i = 0; i < via.size(); i++) {
            String at = config + ":" + via.get(i).line() + ": $.tables." + table.name.name() + ".via[" + i + "]";
            Reference reference = reference(table, via.get(i).text(), at);
            if (!tables.containsKey(reference.parent())) {
                throw new ConfigurationException(SamplePlan.PARAMETER, at + ": \"" + via.get(i).text() + "\" references "
                        + reference.parent().name() + ", which is excluded or in another schema: its rows are never "
                        + "sampled", "remove it from the via list, or " + reference.parent().name() + " from $.exclude");
            }
            along.add(reference);
        }
        return along;
    }

    /** The table's foreign key a via entry names: its constraint's name, else its referencing columns in any order. */
    private static Reference reference(SourceTable table, String text, String at) {
        String wanted = text.strip();
        for (Reference reference : table.references) {
            if (reference.name() != null && reference.name().equalsIgnoreCase(wanted)) {
                return reference;
            }
        }
        Set<String> columns = new LinkedHashSet<>();
        for (String column : wanted.replaceAll("^\\(|\\)$", "").split(",")) {
            columns.add(column.strip().toLowerCase(Locale.ROOT));
        }
        List<Reference> matching = table.references.stream().filter(r -> r.columns().stream()
                .map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()).equals(columns)).toList();
        String keys = table.references.isEmpty() ? table.name.name() + " has no foreign keys"
                : "the foreign keys of " + table.name.name() + " are " + table.references.stream()
                .map(r -> r.name() + " (" + String.join(", ", r.columns()) + ") -> " + r.parent().name() + "("
                        + String.join(", ", r.parentColumns()) + ")").collect(Collectors.joining(", "));
        if (matching.isEmpty()) {
            throw new ConfigurationException(SamplePlan.PARAMETER, at + ": \"" + text + "\" names no foreign key of "
                    + table.name.name(), "name one by its constraint or its referencing columns, e.g. \""
                    + (table.references.isEmpty() ? "order_id" : String.join(", ", table.references.get(0).columns()))
                    + "\"; " + keys);
        }
        if (matching.size() > 1) {
            throw new ConfigurationException(SamplePlan.PARAMETER, at + ": \"" + text + "\" are the columns of "
                    + matching.size() + " foreign keys of " + table.name.name(), "name one by its constraint: "
                    + matching.stream().map(Reference::name).collect(Collectors.joining(" or ")));
        }
        return matching.get(0);
    }

    /**
     * Refuses foreign keys followed down without a limit around a cycle: rows taken along one reference rows whose
     * referencing rows are taken in turn, round after round, up to every connected row of the source. The closure
     * moves along states (a foreign key, the direction it was followed in); a cycle of states that passes a down step
     * without a limit, and none with one, does not close. Going back up the key just followed down finds the row that
     * was the reason, so that step is no state change.
     */
    private void checkClosable() {
        Map<State, List<State>> next = new LinkedHashMap<>();
        for (Edge edge : edges) {
            for (boolean down : new boolean[] {false, true}) {
                State state = new State(edge, down);
                if (down && (!followed(edge) || edge.child().referencingLimit != Long.MAX_VALUE)) {
                    continue;
                }
                SourceTable at = down ? edge.child() : edge.parent();
                List<State> after = new ArrayList<>();
                for (Edge other : edges) {
                    if (other.child() == at && !(down && other == edge)) {
                        after.add(new State(other, false));
                    }
                    if (other.parent() == at && followed(other) && other.child().referencingLimit == Long.MAX_VALUE) {
                        after.add(new State(other, true));
                    }
                }
                next.put(state, after);
            }
        }
        for (State start : next.keySet()) {
            if (!start.down()) {
                continue;
            }
            List<State> cycle = path(next, start);
            if (cycle != null) {
                unclosable(cycle);
            }
        }
    }

    private record State(Edge edge, boolean down) { }

    /** A way from the state back to itself, states in order, or null. */
    private static List<State> path(Map<State, List<State>> next, State start) {
        Map<State, State> previous = new HashMap<>();
        Deque<State> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            State state = queue.poll();
            for (State after : next.getOrDefault(state, List.of())) {
                if (after.equals(start)) {
                    List<State> cycle = new ArrayList<>();
                    for (State s = state; s != null && !s.equals(start); s = previous.get(s)) {
                        cycle.add(0, s);
                    }
                    cycle.add(0, start);
                    return cycle;
                }
                if (!previous.containsKey(after)) {
                    previous.put(after, state);
                    queue.add(after);
                }
            }
        }
        return null;
    }

    private void unclosable(List<State> cycle) {
        State first = cycle.get(0);
        SourceTable table = first.edge().child();
        int index = table.rule.via().stream().map(v -> reference(table, v.text(), "")).toList()
                .indexOf(first.edge().reference());
        Via via = table.rule.via().get(index);
        StringBuilder around = new StringBuilder(first.edge().parent().name.name());
        for (State state : cycle) {
            around.append(state.down() ? " → rows of " + state.edge().child().name.name() + " referencing them"
                    : " → the " + state.edge().parent().name.name() + " they reference");
        }
        List<String> downs = cycle.stream().filter(State::down).map(s -> s.edge().name()).distinct().toList();
        String at = config + ":" + via.line() + ": $.tables." + table.name.name() + ".via[" + index + "]";
        throw new ConfigurationException(SamplePlan.PARAMETER, at + ": " + String.join(" and ", downs) + " followed "
                + "without a limit cannot close: " + around + ", and so on round after round, up to every row connected "
                + "to the sampled ones", "set $.tables." + table.name.name() + ".referencing to the most rows to take "
                + "this way, or remove \"" + via.text() + "\" from $.tables." + table.name.name() + ".via");
    }

    /**
     * The expected rows of each table: each round, the distinct parents the new rows reference (a parent with k
     * children is hit by a share s of them with probability 1 - (1 - s)^k) and the children of the new rows, less the
     * share already held, until a round brings less than a row.
     *
     * @param rows     each table's rows in the source; absent where unknown
     * @param selected rows each table's rule takes
     * @param distinct distinct non-null values of each edge's referencing columns, where known; else the parent's rows
     * @param nonNull  non-null values of each edge's referencing columns, where known; else the child's rows
     */
    Map<SourceTable, Estimate> estimate(Map<SourceTable, Double> rows, Map<SourceTable, Double> selected,
                                        Map<Edge, Double> distinct, Map<Edge, Double> nonNull) {
        Map<SourceTable, double[]> state = new LinkedHashMap<>();
        // held, new, referenced, referencing
        selected.forEach((table, n) -> state.put(table, new double[] {n, n, 0, 0}));
        edges.forEach(e -> {
            state.putIfAbsent(e.child(), new double[4]);
            state.putIfAbsent(e.parent(), new double[4]);
        });
        // The new rows each followed key brought down in the last round: going back up the same key finds nothing new.
        Map<Edge, Double> cameDown = new HashMap<>();
        for (int round = 0; round < 1000 && state.values().stream().mapToDouble(s -> s[1]).sum() >= 0.5; round++) {
            Map<SourceTable, Double> up = new HashMap<>();
            Map<Edge, Double> down = new HashMap<>();
            for (Edge edge : edges) {
                double childRows = rows.getOrDefault(edge.child(), 0.0);
                double parentRows = rows.getOrDefault(edge.parent(), 0.0);
                if (childRows <= 0 || parentRows <= 0) {
                    continue;
                }
                double[] child = state.get(edge.child());
                double[] parent = state.get(edge.parent());
                double referencing = Math.min(nonNull.getOrDefault(edge, childRows), childRows);
                double values = Math.max(1, Math.min(distinct.getOrDefault(edge, parentRows), parentRows));
                double fresh = child[1] - cameDown.getOrDefault(edge, 0.0);
                if (fresh > 0) {
                    double share = Math.min(1, fresh / childRows);
                    double hit = values * (1 - Math.pow(1 - share, Math.max(1, referencing / values)));
                    up.merge(edge.parent(), hit * (1 - Math.min(1, parent[0] / parentRows)), Double::sum);
                }
                if (followed(edge) && parent[1] > 0) {
                    down.put(edge, parent[1] * referencing / parentRows * (1 - Math.min(1, child[0] / childRows)));
                }
            }
            cameDown.clear();
            for (Map.Entry<SourceTable, double[]> entry : state.entrySet()) {
                SourceTable table = entry.getKey();
                double[] s = entry.getValue();
                double wantedDown = down.entrySet().stream().filter(e -> e.getKey().child() == table)
                        .mapToDouble(Map.Entry::getValue).sum();
                double taken = Math.min(wantedDown, Math.max(0, table.referencingLimit - s[3]));
                double wantedUp = up.getOrDefault(table, 0.0);
                double room = Math.max(0, rows.getOrDefault(table, 0.0) - s[0]);
                double scale = wantedUp + taken > room ? room / (wantedUp + taken) : 1;
                s[1] = (wantedUp + taken) * scale;
                s[0] += s[1];
                s[2] += wantedUp * scale;
                s[3] += taken * scale;
                double share = wantedDown > 0 ? taken * scale / wantedDown : 0;
                down.forEach((edge, n) -> {
                    if (edge.child() == table) {
                        cameDown.put(edge, n * share);
                    }
                });
            }
        }
        Map<SourceTable, Estimate> estimates = new LinkedHashMap<>();
        state.forEach((table, s) -> estimates.put(table, new Estimate(selected.getOrDefault(table, 0.0), s[2], s[3])));
        return estimates;
    }

    /**
     * The plan in words, a few lines per table: its rule, the foreign keys along which it gains rows and how each
     * lookup reads it, and the estimate.
     */
    List<String> describe(Map<SourceTable, Double> rows, Map<SourceTable, Estimate> estimates) {
        List<String> lines = new ArrayList<>();
        double total = 0;
        for (SourceTable table : tables) {
            Estimate estimate = estimates.getOrDefault(table, new Estimate(0, 0, 0));
            total += estimate.total();
            Double count = rows.get(table);
            lines.add(String.format("  %s (%s rows): ~%,.0f rows = %,.0f by its rule%s + ~%,.0f referenced + ~%,.0f "
                            + "referencing", table.name.name(), count == null ? "unknown" : String.format("%,.0f", count),
                    estimate.total(), estimate.selected(), rule(table), estimate.referenced(), estimate.referencing()));
            Map<List<String>, List<String>> up = new LinkedHashMap<>();
            for (Edge edge : edges) {
                if (edge.parent() == table) {
                    up.computeIfAbsent(edge.reference().parentColumns(), c -> new ArrayList<>()).add(edge.child().name.name()
                            + "(" + String.join(", ", edge.reference().columns()) + ")");
                }
            }
            up.forEach((columns, children) -> lines.add("    rows referenced by sampled " + String.join(", ", children)
                    + ": " + strategy(table, columns) + (index(table, columns) == null || count == null ? ""
                    : String.format(", or one scan in a round that looks up more than %,.0f keys", count * SCAN_SHARE))));
            String limit = table.referencingLimit == Long.MAX_VALUE ? "every one"
                    : String.format("up to %,d in all", table.referencingLimit);
            boolean scanned = edges.stream().anyMatch(e -> e.child() == table && followed(e)
                    && index(table, e.reference().columns()) == null);
            for (Edge edge : edges) {
                if (edge.child() == table && followed(edge)) {
                    boolean joins = scanned && count != null && index(table, edge.reference().columns()) != null;
                    lines.add("    rows referencing sampled " + edge.parent().name.name() + " along " + edge.name() + ", "
                            + limit + ": " + strategy(table, edge.reference().columns()) + (joins ? String.format(", or "
                            + "in the scan of those without an index in a round that looks up more than %,.0f keys",
                            count * JOIN_SHARE) : ""));
                }
            }
            if (edges.stream().anyMatch(e -> e.child() == table) && edges.stream().noneMatch(e -> e.child() == table
                    && followed(e))) {
                lines.add("    rows referencing sampled rows: none taken (" + (table.referencingLimit == 0
                        ? "referencing is 0" : "no foreign key in its via") + ")");
            }
        }
        lines.add(0, String.format("Closure plan, before any row is read: ~%,.0f rows expected, estimated from the "
                + "source's statistics", total));
        unfollowed.forEach(line -> lines.add("  not followed: " + line));
        return lines;
    }

    private static String rule(SourceTable table) {
        if (table.rule == null || !table.rule.selects()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (table.rule.percent() != null) {
            parts.add(table.rule.percent() + " %");
        }
        if (table.rule.rows() != null) {
            parts.add("rows " + table.rule.rows());
        }
        if (table.rule.where() != null) {
            parts.add("where");
        }
        return " (" + String.join(", ", parts) + ")";
    }

    /** How a lookup by these columns reads the table. */
    String strategy(SourceTable table, List<String> columns) {
        String index = index(table, columns);
        return index != null ? "index " + index : "one scan per round with a hash join (no index on "
                + table.name.name() + "(" + String.join(", ", columns) + "))";
    }
}
