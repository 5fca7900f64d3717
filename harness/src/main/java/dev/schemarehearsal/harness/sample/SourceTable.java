package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.sample.SamplePlan.TableRule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One table of the source and the rows of it the sample holds, each row as the engine's text of its columns. */
final class SourceTable {
    /** Rows sort by their key, numbers as numbers, so files list rows in a stable, readable order. */
    static final Comparator<List<String>> KEY_ORDER = SourceTable::compare;

    /** Why a row is in the sample. */
    enum Origin { SELECTED, REFERENCED, REFERENCING }

    final TableName name;
    final List<Column> columns;
    /** The primary key, or every column of a table without one. */
    final List<String> key;
    final List<Reference> references;
    final TableRule rule;
    /** The most rows that reference sampled rows the table takes; {@link Long#MAX_VALUE} for every one. */
    final long referencingLimit;

    private final Map<String, Integer> indexes = new HashMap<>();
    private final Map<List<String>, String[]> rows = new HashMap<>();
    /** The values the sample holds of each column list other tables reference, to tell which references resolve. */
    private final Map<List<String>, Set<List<String>>> referenced = new HashMap<>();
    /** Values asked of the source and not found, per referenced column list, so they are not asked again. */
    private final Map<List<String>, Set<List<String>>> missing = new HashMap<>();
    private List<String[]> pending = new ArrayList<>();
    private final Map<Origin, Long> counts = new HashMap<>();
    private final Map<String, Long> addedVia = new TreeMap<>();

    SourceTable(TableName name, List<Column> columns, List<String> primaryKey, List<Reference> references, TableRule rule,
                long referencingLimit) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.key = primaryKey.isEmpty() ? columns.stream().map(Column::name).toList() : List.copyOf(primaryKey);
        this.references = List.copyOf(references);
        this.rule = rule;
        this.referencingLimit = referencingLimit;
        for (int i = 0; i < columns.size(); i++) {
            indexes.put(columns.get(i).name(), i);
        }
    }

    int index(String column) {
        Integer index = indexes.get(column);
        if (index == null) {
            throw new IllegalArgumentException(name.name() + " has no column " + column);
        }
        return index;
    }

    /** The row's values of the columns, or {@code null} when one is NULL (such a reference points nowhere). */
    List<String> values(String[] row, List<String> of) {
        String[] values = new String[of.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row[index(of.get(i))];
            if (values[i] == null) {
                return null;
            }
        }
        return Arrays.asList(values);
    }

    /** The row's key; NULLs included, as a table without a primary key is keyed by all its columns. */
    List<String> keyOf(String[] row) {
        String[] values = new String[key.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row[index(key.get(i))];
        }
        return Arrays.asList(values);
    }

    /** Other tables reference these columns: keep an index of their values. */
    void referencedBy(List<String> columnList) {
        referenced.putIfAbsent(columnList, new HashSet<>());
    }

    boolean holds(List<String> columnList, List<String> values) {
        return referenced.get(columnList).contains(values);
    }

    /** Whether the row's key is the key of a row the sample holds. */
    boolean holdsRow(String[] row) {
        return rows.containsKey(keyOf(row));
    }

    /** Whether the values were asked of the source before and not found. */
    boolean missing(List<String> columnList, List<String> values) {
        return missing.getOrDefault(columnList, Set.of()).contains(values);
    }

    void markMissing(List<String> columnList, List<String> values) {
        missing.computeIfAbsent(columnList, c -> new HashSet<>()).add(values);
    }

    /** How many rows the sample holds. */
    int size() {
        return rows.size();
    }

    /** Adds a row unless the sample holds it already; {@code via} names the foreign key that brought it, if any. */
    boolean add(String[] row, Origin origin, String via) {
        if (rows.putIfAbsent(keyOf(row), row) != null) {
            return false;
        }
        referenced.forEach((columnList, values) -> {
            List<String> value = values(row, columnList);
            if (value != null) {
                values.add(value);
            }
        });
        pending.add(row);
        counts.merge(origin, 1L, Long::sum);
        if (via != null) {
            addedVia.merge(via, 1L, Long::sum);
        }
        return true;
    }

    /** The rows added since the last call, in no particular order. */
    List<String[]> takePending() {
        List<String[]> taken = pending;
        pending = new ArrayList<>();
        return taken;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Every row of the sample, in no particular order: sort them once they are masked, so order reveals nothing. */
    List<String[]> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Rows by key. */
    void sort(List<String[]> rows) {
        Map<String[], List<String>> keys = new IdentityHashMap<>();
        rows.forEach(row -> keys.put(row, keyOf(row)));
        rows.sort(Comparator.comparing(keys::get, KEY_ORDER));
    }

    /**
     * The rows reordered so that a row another row of the same table references comes before it, where the table
     * references itself: engines that check each row's foreign keys as it loads (InnoDB) accept them in file order.
     * Otherwise, and among rows that don't reference each other, the order stays as given.
     */
    List<String[]> parentsFirst(List<String[]> rows) {
        List<Reference> own = references.stream().filter(r -> r.parent().equals(name)).toList();
        if (own.isEmpty()) {
            return rows;
        }
        Map<Reference, Map<List<String>, String[]>> byReferenced = new HashMap<>();
        for (Reference reference : own) {
            Map<List<String>, String[]> index = new HashMap<>();
            rows.forEach(row -> index.put(values(row, reference.parentColumns()), row));
            byReferenced.put(reference, index);
        }
        List<String[]> ordered = new ArrayList<>(rows.size());
        Set<String[]> entered = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String[]> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<String[]> stack = new ArrayDeque<>();
        for (String[] root : rows) {
            stack.push(root);
            // Depth first without recursion, as chains of references can be long; a cycle is cut where it closes.
            while (!stack.isEmpty()) {
                String[] row = stack.peek();
                if (entered.add(row)) {
                    for (Reference reference : own) {
                        String[] parent = byReferenced.get(reference).get(values(row, reference.columns()));
                        if (parent != null && !entered.contains(parent)) {
                            stack.push(parent);
                        }
                    }
                } else {
                    stack.pop();
                    if (done.add(row)) {
                        ordered.add(row);
                    }
                }
            }
        }
        return ordered;
    }

    long count(Origin origin) {
        return counts.getOrDefault(origin, 0L);
    }

    Map<String, Long> addedVia() {
        return addedVia;
    }

    /** Value by value: NULL first, then whole numbers by value, then other text by its characters. */
    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = compare(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compare(String x, String y) {
        if (x == null || y == null) {
            return x == y ? 0 : x == null ? -1 : 1;
        }
        boolean xNumber = wholeNumber(x);
        boolean yNumber = wholeNumber(y);
        if (xNumber != yNumber) {
            return xNumber ? -1 : 1;
        }
        if (!xNumber) {
            return x.compareTo(y);
        }
        boolean xNegative = x.charAt(0) == '-';
        if (xNegative != (y.charAt(0) == '-')) {
            return xNegative ? -1 : 1;
        }
        int magnitude = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
        return xNegative ? -magnitude : magnitude;
    }

    /** An integer as engines write them: an optional minus, then digits without a leading zero. */
    private static boolean wholeNumber(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() - start > 1 && text.charAt(start) == '0') {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
