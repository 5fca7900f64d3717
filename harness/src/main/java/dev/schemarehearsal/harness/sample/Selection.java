package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.sample.SourceTable.Origin;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses the rows: each table's rule first, then the foreign-key closure to a fixpoint: every row a sampled row
 * references is fetched, and, up to each table's {@code referencing} limit, rows that reference sampled rows, until no
 * table gains a row. Every query is a SELECT; tables are visited in name order and values in key order, so the same
 * source and seed give the same rows.
 */
final class Selection {
    /** Values per IN list: well below every engine's limit on parameters. */
    private static final int BATCH = 1000;

    private final Source source;
    private final Connection connection;
    private final Dialect dialect;
    /** The sample.json file, for messages. */
    private final Path config;
    private final long seed;
    private final Map<TableName, SourceTable> tables;
    private final RehearsalListener listener;
    private final Map<SourceTable, List<Incoming>> incoming = new LinkedHashMap<>();
    private final Set<String> unfollowed = new LinkedHashSet<>();
    private long dangling;

    /** A foreign key seen from the table it references. */
    private record Incoming(SourceTable child, Reference reference) { }

    Selection(Source source, Path config, long seed, Map<TableName, SourceTable> tables, RehearsalListener listener) {
        this.source = source;
        this.connection = source.connection();
        this.dialect = source.dialect();
        this.config = config;
        this.seed = seed;
        this.tables = tables;
        this.listener = listener;
        tables.values().forEach(t -> incoming.put(t, new ArrayList<>()));
        for (SourceTable child : tables.values()) {
            for (Reference reference : child.references) {
                SourceTable parent = tables.get(reference.parent());
                if (parent == null) {
                    unfollowed.add(via(child, reference) + ": " + reference.parent().name() + " is excluded or in another schema");
                } else {
                    parent.referencedBy(reference.parentColumns());
                    incoming.get(parent).add(new Incoming(child, reference));
                }
            }
        }
    }

    void run() throws SQLException {
        for (SourceTable table : tables.values()) {
            if (table.rule != null && table.rule.selects()) {
                applyRule(table);
            }
        }
        int round = 0;
        while (tables.values().stream().anyMatch(SourceTable::hasPending)) {
            round++;
            for (SourceTable table : tables.values()) {
                List<String[]> added = table.takePending();
                if (added.isEmpty()) {
                    continue;
                }
                for (Reference reference : table.references) {
                    SourceTable parent = tables.get(reference.parent());
                    if (parent != null) {
                        fetchReferenced(table, reference, parent, added);
                    }
                }
                for (Incoming child : incoming.get(table)) {
                    fetchReferencing(child.child(), child.reference(), table, added);
                }
            }
        }
        listener.info("Foreign-key closure reached its fixpoint after " + round + " round(s)");
    }

    List<String> unfollowed() {
        return List.copyOf(unfollowed);
    }

    long dangling() {
        return dangling;
    }

    private void applyRule(SourceTable table) throws SQLException {
        String hash = hash(table);
        List<String> conditions = new ArrayList<>();
        if (table.rule.where() != null) {
            // On a line of its own, so that a comment ending the rule ends at its line.
            conditions.add("(\n" + table.rule.where().sql() + "\n)");
        }
        if (table.rule.percent() != null) {
            conditions.add(hash + " < " + (long) Math.floor(table.rule.percent() / 100 * 4294967296.0));
        }
        String sql = selectFrom(table) + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + (table.rule.rows() == null ? "" : order(table, hash) + " LIMIT " + table.rule.rows());
        String origin = config + (table.rule.where() == null ? "" : ":" + table.rule.where().line()) + ": $.tables."
                + table.name.name();
        List<String[]> rows;
        try {
            rows = table.rule.where() == null ? query(table, sql, List.of())
                    : source.userStatement(SamplePlan.PARAMETER, origin + ".where", sql, () -> query(table, sql, List.of()));
        } catch (SQLException e) {
            throw new ConfigurationException(SamplePlan.PARAMETER, origin + ": the source refused the rule's query: "
                    + e.getMessage().strip(), "correct the rule; the query was " + sql, e);
        }
        for (String[] row : rows) {
            table.add(row, Origin.SELECTED, null);
        }
    }

    /** The parent rows the new child rows reference, that the sample does not hold yet. */
    private void fetchReferenced(SourceTable child, Reference reference, SourceTable parent, List<String[]> added)
            throws SQLException {
        Set<List<String>> wanted = new TreeSet<>(SourceTable.KEY_ORDER);
        for (String[] row : added) {
            List<String> values = child.values(row, reference.columns());
            if (values != null && !parent.holds(reference.parentColumns(), values)
                    && parent.request(reference.parentColumns(), values)) {
                wanted.add(values);
            }
        }
        String via = via(child, reference);
        for (List<List<String>> batch : batches(wanted)) {
            for (String[] row : query(parent, selectFrom(parent) + " WHERE " + in(reference.parentColumns(), batch.size()), batch)) {
                parent.add(row, Origin.REFERENCED, via);
            }
        }
        long missing = wanted.stream().filter(values -> !parent.holds(reference.parentColumns(), values)).count();
        if (missing > 0) {
            dangling += missing;
            listener.warn(via + ": " + missing + " referenced row(s) do not exist in the source (its constraint is not "
                    + "enforced); the sample keeps the referencing rows as they are");
        }
    }

    /** Rows of the child that reference the parent's new rows, while the child's referencing limit allows. */
    private void fetchReferencing(SourceTable child, Reference reference, SourceTable parent, List<String[]> added)
            throws SQLException {
        long room = child.referencingLimit - child.count(Origin.REFERENCING);
        if (room <= 0) {
            return;
        }
        Set<List<String>> values = new TreeSet<>(SourceTable.KEY_ORDER);
        for (String[] row : added) {
            List<String> value = parent.values(row, reference.parentColumns());
            if (value != null) {
                values.add(value);
            }
        }
        String via = via(child, reference);
        for (List<List<String>> batch : batches(values)) {
            String sql = selectFrom(child) + " WHERE " + in(reference.columns(), batch.size()) + order(child, hash(child))
                    + " LIMIT " + room;
            for (String[] row : query(child, sql, batch)) {
                if (child.add(row, Origin.REFERENCING, via)) {
                    room--;
                }
            }
            if (room <= 0) {
                return;
            }
        }
    }

    private static List<List<List<String>>> batches(Set<List<String>> values) {
        List<List<List<String>>> batches = new ArrayList<>();
        List<List<String>> all = new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += BATCH) {
            batches.add(all.subList(from, Math.min(all.size(), from + BATCH)));
        }
        return batches;
    }

    private String selectFrom(SourceTable table) {
        return "SELECT " + table.columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + table.name.sql(dialect);
    }

    private String hash(SourceTable table) {
        return dialect.sampleHash(table.key.stream().map(dialect::quote).toList(), seed);
    }

    /** By hash, then by key, so that ties too are broken the same way every time. */
    private String order(SourceTable table, String hash) {
        return " ORDER BY " + hash + ", " + table.key.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }

    /** {@code (a, b) IN ((?, ?), …)}, or {@code a IN (?, …)} for one column. */
    private String in(List<String> columns, int count) {
        String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
        String one = columns.size() == 1 ? placeholders : "(" + placeholders + ")";
        String left = columns.size() == 1 ? dialect.quote(columns.get(0))
                : columns.stream().map(dialect::quote).collect(Collectors.joining(", ", "(", ")"));
        return left + " IN (" + String.join(", ", Collections.nCopies(count, one)) + ")";
    }

    /** The rows as the engine writes each value as text; the engine parses the parameters as the columns' types. */
    private List<String[]> query(SourceTable table, String sql, List<List<String>> parameters) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (List<String> values : parameters) {
                for (String value : values) {
                    statement.setString(index++, value);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = table.columns.size();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** A foreign key as the summary names it, e.g. {@code orders(customer_id) -> customers(id)}. */
    static String via(SourceTable child, Reference reference) {
        return child.name.name() + "(" + String.join(", ", reference.columns()) + ") -> " + reference.parent().name() + "("
                + String.join(", ", reference.parentColumns()) + ")";
    }
}
