package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.sample.SamplePlan.TableRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One table of the source and the rows of it the sample holds, each row as the engine's text of its columns. */
final class SourceTable {
    /** Rows sort by their key, numbers as numbers, so files list rows in a stable, readable order. */
    static final Comparator<List<String>> KEY_ORDER = Comparator.comparing(SortKey::of);

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
    private final long[] counts = new long[Origin.values().length];
    private final Map<String, Long> addedVia = new HashMap<>();

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

    /** Other tables reference these columns: keep an index of their values, unless they are the key, held anyway. */
    void referencedBy(List<String> columnList) {
        if (!columnList.equals(key)) {
            referenced.putIfAbsent(columnList, new HashSet<>());
        }
    }

    boolean holds(List<String> columnList, List<String> values) {
        return columnList.equals(key) ? rows.containsKey(values) : referenced.get(columnList).contains(values);
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
        counts[origin.ordinal()]++;
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

    /** Rows by key, each key read once. */
    void sort(List<String[]> rows) {
        record Keyed(SortKey key, String[] row) { }
        List<Keyed> keyed = new ArrayList<>(rows.size());
        rows.forEach(row -> keyed.add(new Keyed(SortKey.of(keyOf(row)), row)));
        keyed.sort(Comparator.comparing(Keyed::key));
        for (int i = 0; i < keyed.size(); i++) {
            rows.set(i, keyed.get(i).row());
        }
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
        // Each row's parent along each reference, by position, found once: the walk below then follows ints.
        int[][] parents = new int[own.size()][];
        for (int r = 0; r < own.size(); r++) {
            Reference reference = own.get(r);
            Map<List<String>, Integer> positions = new HashMap<>(rows.size() * 2);
            for (int i = 0; i < rows.size(); i++) {
                positions.put(values(rows.get(i), reference.parentColumns()), i);
            }
            parents[r] = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                List<String> value = values(rows.get(i), reference.columns());
                parents[r][i] = value == null ? -1 : positions.getOrDefault(value, -1);
            }
        }
        List<String[]> ordered = new ArrayList<>(rows.size());
        boolean[] entered = new boolean[rows.size()];
        boolean[] done = new boolean[rows.size()];
        int[] stack = new int[rows.size() * (own.size() + 1)];
        for (int root = 0; root < rows.size(); root++) {
            int depth = 0;
            stack[depth++] = root;
            // Depth first without recursion, as chains of references can be long; a cycle is cut where it closes.
            while (depth > 0) {
                int row = stack[depth - 1];
                if (!entered[row]) {
                    entered[row] = true;
                    for (int[] parent : parents) {
                        if (parent[row] >= 0 && !entered[parent[row]]) {
                            stack[depth++] = parent[row];
                        }
                    }
                } else {
                    depth--;
                    if (!done[row]) {
                        done[row] = true;
                        ordered.add(rows.get(row));
                    }
                }
            }
        }
        return ordered;
    }

    long count(Origin origin) {
        return counts[origin.ordinal()];
    }

    /** Rows added per foreign key, by its name. */
    Map<String, Long> addedVia() {
        return new TreeMap<>(addedVia);
    }

    /**
     * A key ready to compare, value by value: NULL first, then whole numbers by value, then other text by its
     * characters. Each value is read once: whether it is a whole number, and its value where a long holds it.
     */
    static final class SortKey implements Comparable<SortKey> {
        private static final byte NULL = 0;
        private static final byte BELOW_LONG = 1;
        private static final byte LONG = 2;
        private static final byte ABOVE_LONG = 3;
        private static final byte TEXT = 4;

        private final byte[] kinds;
        private final long[] numbers;
        private final String[] texts;

        private SortKey(List<String> key) {
            kinds = new byte[key.size()];
            numbers = new long[key.size()];
            texts = new String[key.size()];
            for (int i = 0; i < kinds.length; i++) {
                String value = key.get(i);
                texts[i] = value;
                if (value == null) {
                    kinds[i] = NULL;
                } else if (!wholeNumber(value)) {
                    kinds[i] = TEXT;
                } else if (value.length() <= 18) {
                    kinds[i] = LONG;
                    numbers[i] = Long.parseLong(value);
                } else {
                    try {
                        numbers[i] = Long.parseLong(value);
                        kinds[i] = LONG;
                    } catch (NumberFormatException beyond) {
                        kinds[i] = value.charAt(0) == '-' ? BELOW_LONG : ABOVE_LONG;
                    }
                }
            }
        }

        static SortKey of(List<String> key) {
            return new SortKey(key);
        }

        @Override
        public int compareTo(SortKey other) {
            for (int i = 0; i < Math.min(kinds.length, other.kinds.length); i++) {
                int order = Byte.compare(kinds[i], other.kinds[i]);
                if (order == 0) {
                    order = switch (kinds[i]) {
                        case NULL -> 0;
                        case LONG -> Long.compare(numbers[i], other.numbers[i]);
                        case TEXT -> texts[i].compareTo(other.texts[i]);
                        // Beyond a long: the longer magnitude is the larger, then digit by digit.
                        case ABOVE_LONG -> magnitude(texts[i], other.texts[i]);
                        default -> -magnitude(texts[i], other.texts[i]);
                    };
                }
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(kinds.length, other.kinds.length);
        }

        private static int magnitude(String x, String y) {
            return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
        }
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
