package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.SampleQueries;
import dev.schemarehearsal.harness.dialect.SampleQueries.Match;
import dev.schemarehearsal.harness.sample.ClosurePlan.Edge;
import dev.schemarehearsal.harness.sample.SourceTable.Origin;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the rows: each table's rule first, then the foreign-key closure of the {@link ClosurePlan} in rounds to a
 * fixpoint. A round looks at the rows the previous one added and reads each table at most once for them: the keys
 * found so far travel with one statement (see {@link SampleQueries}), not in batches, so a lookup on columns without an
 * index is one scan per round rather than one per batch. Every query is a SELECT; tables are visited in name order and
 * the rows a limit keeps are the lowest by hash and key, so the same source and seed give the same rows.
 */
final class Selection {
    private final Source source;
    private final Connection connection;
    private final Dialect dialect;
    private final SampleQueries queries;
    /** The sample.json file, for messages. */
    private final Path config;
    private final long seed;
    private final List<SourceTable> tables;
    private final ClosurePlan plan;
    private final RehearsalListener listener;
    /**
     * Each table's rows as the source's statistics count them, once {@link #describePlan} has read them: a lookup of
     * more keys than {@link ClosurePlan#SCAN_SHARE} of them scans the table rather than probing its index per key.
     */
    private final Map<SourceTable, Double> tableRows = new HashMap<>();
    private long dangling;
    private int rounds;
    private int statements;

    Selection(Source source, SampleQueries queries, Path config, long seed, ClosurePlan plan, RehearsalListener listener) {
        this.source = source;
        this.connection = source.connection();
        this.dialect = source.dialect();
        this.queries = queries;
        this.config = config;
        this.seed = seed;
        this.tables = plan.tables();
        this.plan = plan;
        this.listener = listener;
    }

    void run() throws SQLException {
        for (SourceTable table : tables) {
            if (table.rule != null && table.rule.selects()) {
                applyRule(table);
            }
        }
        while (tables.stream().anyMatch(SourceTable::hasPending)) {
            rounds++;
            Map<SourceTable, List<String[]>> added = new HashMap<>();
            tables.forEach(table -> added.put(table, table.takePending()));
            // Up: the values each table must be asked for, by the column list they are asked on, with the first
            // foreign key (in the plan's order) that wants each. Down: the parent values each followed key's child is
            // asked for.
            Map<SourceTable, Map<List<String>, Map<List<String>, Edge>>> up = new HashMap<>();
            Map<SourceTable, Map<Edge, Set<List<String>>>> down = new HashMap<>();
            for (Edge edge : plan.edges()) {
                SourceTable child = edge.child();
                SourceTable parent = edge.parent();
                List<String> parentColumns = edge.reference().parentColumns();
                for (String[] row : added.get(child)) {
                    List<String> values = child.values(row, edge.reference().columns());
                    if (values != null && !parent.holds(parentColumns, values) && !parent.missing(parentColumns, values)) {
                        up.computeIfAbsent(parent, t -> new LinkedHashMap<>())
                                .computeIfAbsent(parentColumns, c -> new HashMap<>()).putIfAbsent(values, edge);
                    }
                }
                if (plan.followed(edge) && !added.get(parent).isEmpty()
                        && child.count(Origin.REFERENCING) < child.referencingLimit) {
                    Set<List<String>> values = down.computeIfAbsent(child, t -> new LinkedHashMap<>())
                            .computeIfAbsent(edge, e -> new HashSet<>());
                    for (String[] row : added.get(parent)) {
                        List<String> value = parent.values(row, parentColumns);
                        if (value != null) {
                            values.add(value);
                        }
                    }
                }
            }
            for (SourceTable table : tables) {
                if (!up.containsKey(table) && !down.containsKey(table)) {
                    continue;
                }
                long start = System.nanoTime();
                int before = table.size();
                int sent = statements;
                for (Map.Entry<List<String>, Map<List<String>, Edge>> lookup : up.getOrDefault(table, Map.of()).entrySet()) {
                    fetchReferenced(table, lookup.getKey(), lookup.getValue());
                }
                if (down.containsKey(table)) {
                    fetchReferencing(table, down.get(table));
                }
                progress(table, table.size() - before, statements - sent, start);
            }
        }
        queries.done(connection);
        listener.info(String.format("Foreign-key closure reached its fixpoint after %d round(s), %,d lookup "
                + "statement(s)", rounds, statements));
    }

    long dangling() {
        return dangling;
    }

    /**
     * The closure plan in words with its estimate, from the source's statistics and, for a {@code where} rule, the
     * planner's estimate of the rows it admits (a plain EXPLAIN: nothing runs).
     */
    List<String> describePlan(StatisticsSnapshot statistics) throws SQLException {
        Map<TableName, TableStatistics> byName = new HashMap<>();
        for (Map.Entry<String, TableStatistics> entry : statistics.tables().entrySet()) {
            byName.put(dialect.tableName(connection, entry.getKey()), entry.getValue());
        }
        Map<SourceTable, Double> rows = tableRows;
        Map<SourceTable, Double> selected = new HashMap<>();
        for (SourceTable table : tables) {
            TableStatistics stats = byName.get(table.name);
            if (stats != null && stats.rows() != null && stats.rows() >= 0) {
                rows.put(table, stats.rows().doubleValue());
            }
            if (table.rule != null && table.rule.selects()) {
                double admitted = table.rule.where() == null ? rows.getOrDefault(table, 0.0) : admitted(table);
                selected.put(table, table.rule.percent() != null ? admitted * table.rule.percent() / 100
                        : table.rule.rows() != null ? Math.min(table.rule.rows(), admitted) : admitted);
            }
        }
        Map<Edge, Double> distinct = new HashMap<>();
        Map<Edge, Double> nonNull = new HashMap<>();
        for (Edge edge : plan.edges()) {
            TableStatistics stats = byName.get(edge.child().name);
            Double childRows = rows.get(edge.child());
            if (stats == null || childRows == null) {
                continue;
            }
            double share = 1;
            for (String column : edge.reference().columns()) {
                ColumnStatistics values = stats.columns().get(column);
                share *= values == null || values.nullFraction() == null ? 1 : 1 - values.nullFraction();
            }
            nonNull.put(edge, childRows * share);
            ColumnStatistics only = edge.reference().columns().size() == 1
                    ? stats.columns().get(edge.reference().columns().get(0)) : null;
            if (only != null && only.distinct() != null && only.distinct() != 0) {
                distinct.put(edge, only.distinct() > 0 ? only.distinct() : -only.distinct() * childRows);
            }
        }
        return plan.describe(rows, plan.estimate(rows, selected, distinct, nonNull));
    }

    /** The rows a table's {@code where} admits, as the source's planner estimates them. */
    private double admitted(SourceTable table) throws SQLException {
        String sql = whereSql(table);
        try {
            // PostgreSQL's top node gives the rows out; MySQL's and MariaDB's table nodes the rows they examine.
            return source.userStatement(SamplePlan.PARAMETER, origin(table) + ".where", sql,
                    () -> dialect.explain(connection, sql, false)).plan().flatten().stream()
                    .map(PlanNode::estimatedRows).filter(java.util.Objects::nonNull).findFirst().orElse(0.0);
        } catch (SQLException e) {
            throw refused(table, sql, e);
        }
    }

    private void progress(SourceTable table, int rows, int sent, long start) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        listener.info(String.format("Round %d, %s: +%,d rows in %,.0f ms (%,.0f rows/s), %d statement(s); %,d rows held",
                rounds, table.name.name(), rows, seconds * 1000, rows / seconds, sent, table.size()));
    }

    private void applyRule(SourceTable table) throws SQLException {
        long start = System.nanoTime();
        String sql = ruleSql(table);
        String origin = origin(table);
        try {
            if (table.rule.where() == null) {
                read(table, sql, false, statement -> { }, row -> table.add(row, Origin.SELECTED, null));
            } else {
                source.userStatement(SamplePlan.PARAMETER, origin + ".where", sql,
                        () -> read(table, sql, false, statement -> { }, row -> table.add(row, Origin.SELECTED, null)));
            }
        } catch (SQLException e) {
            throw refused(table, sql, e);
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        listener.info(String.format("Rule of %s: %,d rows in %,.0f ms (%,.0f rows/s)", table.name.name(), table.size(),
                seconds * 1000, table.size() / seconds));
    }

    String origin(SourceTable table) {
        return config + (table.rule.where() == null ? "" : ":" + table.rule.where().line()) + ": $.tables."
                + table.name.name();
    }

    ConfigurationException refused(SourceTable table, String sql, SQLException e) {
        return new ConfigurationException(SamplePlan.PARAMETER, origin(table) + ": the source refused the rule's query: "
                + e.getMessage().strip(), "correct the rule; the query was " + sql, e);
    }

    /** The query of a table's rule. */
    String ruleSql(SourceTable table) {
        String hash = hash(table);
        List<String> conditions = new ArrayList<>();
        if (table.rule.where() != null) {
            // On a line of its own, so that a comment ending the rule ends at its line.
            conditions.add("(\n" + table.rule.where().sql() + "\n)");
        }
        if (table.rule.percent() != null) {
            conditions.add(hash + " < " + (long) Math.floor(table.rule.percent() / 100 * 4294967296.0));
        }
        return selectFrom(table) + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + (table.rule.rows() == null ? "" : order(table, hash) + " LIMIT " + table.rule.rows());
    }

    /** The query that tells how many rows a table's {@code where} admits, for the plan's estimate. */
    String whereSql(SourceTable table) {
        return selectFrom(table) + " WHERE (\n" + table.rule.where().sql() + "\n)";
    }

    /** The parent rows the new child rows reference, that the sample does not hold yet: found by a unique key. */
    private void fetchReferenced(SourceTable parent, List<String> columns, Map<List<String>, Edge> wanted)
            throws SQLException {
        Match match = match(parent, columns);
        boolean scan = plan.index(parent, columns) == null
                || wanted.size() > tableRows.getOrDefault(parent, Double.MAX_VALUE) * ClosurePlan.SCAN_SHARE;
        String sql = queries.select(parent.name, names(parent), List.of(match), scan, null, seed, 0);
        Edge first = wanted.values().iterator().next();
        for (List<List<String>> chunk : chunks(wanted.keySet())) {
            read(parent, sql, !scan, statement -> queries.bind(connection, statement, 1, match, chunk), row -> {
                Edge edge = wanted.getOrDefault(parent.values(row, columns), first);
                parent.add(row, Origin.REFERENCED, edge.name());
            });
        }
        Map<Edge, Long> missing = new LinkedHashMap<>();
        wanted.forEach((values, edge) -> {
            if (!parent.holds(columns, values)) {
                parent.markMissing(columns, values);
                missing.merge(edge, 1L, Long::sum);
            }
        });
        missing.forEach((edge, count) -> {
            dangling += count;
            listener.warn(edge.name() + ": " + count + " referenced row(s) do not exist in the source (its constraint is "
                    + "not enforced); the sample keeps the referencing rows as they are");
        });
    }

    /**
     * Rows of the child that reference the parents' new rows along the followed foreign keys, while its limit allows:
     * one statement per foreign key an index serves, and one scan for all the others together, which takes in the keys
     * of an indexed one too when they are many (see {@link ClosurePlan#JOIN_SHARE}). Under a limit, each
     * statement returns its rows by hash and key, as many as could still be new; the lowest new ones are kept.
     */
    private void fetchReferencing(SourceTable child, Map<Edge, Set<List<String>>> wanted) throws SQLException {
        long room = child.referencingLimit - child.count(Origin.REFERENCING);
        if (room <= 0) {
            return;
        }
        boolean limited = child.referencingLimit != Long.MAX_VALUE;
        List<List<Edge>> statementGroups = new ArrayList<>();
        List<Edge> scanned = new ArrayList<>();
        boolean scanning = wanted.entrySet().stream().anyMatch(e -> !e.getValue().isEmpty()
                && plan.index(child, e.getKey().reference().columns()) == null);
        for (Edge edge : wanted.keySet()) {
            if (wanted.get(edge).isEmpty()) {
                continue;
            }
            if (plan.index(child, edge.reference().columns()) != null && !(scanning && wanted.get(edge).size()
                    > tableRows.getOrDefault(child, Double.MAX_VALUE) * ClosurePlan.JOIN_SHARE)) {
                statementGroups.add(List.of(edge));
            } else {
                scanned.add(edge);
            }
        }
        if (!scanned.isEmpty()) {
            statementGroups.add(scanned);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (List<Edge> group : statementGroups) {
            List<Match> matches = group.stream().map(e -> match(child, e.reference().columns())).toList();
            String sql = queries.select(child.name, names(child), matches, group == scanned,
                    limited ? child.key : null, seed, limited ? Math.addExact(room, child.size()) : 0);
            for (List<List<List<String>>> chunk : chunks(group, wanted)) {
                read(child, sql, group != scanned, statement -> {
                    int index = 1;
                    for (int m = 0; m < matches.size(); m++) {
                        index = queries.bind(connection, statement, index, matches.get(m), chunk.get(m));
                    }
                }, row -> {
                    String via = firstEdge(child, group, wanted, row).name();
                    if (!limited) {
                        child.add(row, Origin.REFERENCING, via);
                    } else if (!child.holdsRow(row)) {
                        candidates.add(new Candidate(Long.parseLong(row[row.length - 1]),
                                SourceTable.SortKey.of(child.keyOf(row)), row, via));
                    }
                });
            }
        }
        candidates.sort(Comparator.comparingLong(Candidate::hash).thenComparing(Candidate::key));
        for (Candidate candidate : candidates) {
            if (room <= 0) {
                break;
            }
            if (child.add(java.util.Arrays.copyOf(candidate.row(), child.columns.size()), Origin.REFERENCING,
                    candidate.via())) {
                room--;
            }
        }
    }

    private record Candidate(long hash, SourceTable.SortKey key, String[] row, String via) { }

    /** The first foreign key of the group, in the plan's order, along which the row references a wanted value. */
    private static Edge firstEdge(SourceTable child, List<Edge> group, Map<Edge, Set<List<String>>> wanted, String[] row) {
        for (Edge edge : group) {
            if (wanted.get(edge).contains(child.values(row, edge.reference().columns()))) {
                return edge;
            }
        }
        return group.get(0);
    }

    private Match match(SourceTable table, List<String> columns) {
        return new Match(columns, columns.stream().map(c -> plan.type(table, c)).toList());
    }

    /**
     * The keys in as few pieces as each statement can carry: one, unless they exceed what the server accepts in one
     * statement.
     */
    private List<List<List<String>>> chunks(Set<List<String>> keys) {
        List<List<List<String>>> chunks = new ArrayList<>();
        List<List<String>> chunk = new ArrayList<>();
        long bytes = 0;
        for (List<String> key : keys) {
            long size = size(key);
            if (!chunk.isEmpty() && bytes + size > queries.maxKeyBytes()) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(key);
            bytes += size;
        }
        chunks.add(chunk);
        return chunks;
    }

    /** The keys of each edge of the group in pieces: piece i of every edge goes in statement i. */
    private List<List<List<List<String>>>> chunks(List<Edge> group, Map<Edge, Set<List<String>>> wanted) {
        List<List<List<List<String>>>> byEdge = group.stream().map(e -> chunks(wanted.get(e))).toList();
        int count = byEdge.stream().mapToInt(List::size).max().orElse(0);
        List<List<List<List<String>>>> statements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int piece = i;
            statements.add(byEdge.stream().map(c -> piece < c.size() ? c.get(piece) : List.<List<String>>of()).toList());
        }
        return statements;
    }

    private static long size(List<String> key) {
        long size = 8;
        for (String value : key) {
            size += value.length() + 4L;
        }
        return size;
    }

    /** Reads a statement's rows as the engine writes each value as text, streaming, and hands each to the consumer. */
    private Void read(SourceTable table, String sql, boolean indexLookups, Binder binder, RowConsumer consumer)
            throws SQLException {
        statements++;
        long start = System.nanoTime();
        long rows = 0;
        try (PreparedStatement statement = queries.prepareStreaming(connection, sql, indexLookups)) {
            binder.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    consumer.accept(row);
                    rows++;
                }
            }
        } catch (SQLException e) {
            if (queries.timedOut(e)) {
                throw new ConfigurationException("statementTimeoutMs", "reading " + table.name.name()
                        + (rounds == 0 ? " by its rule" : " in closure round " + rounds) + " ran longer than the "
                        + "statement timeout: " + e.getMessage().strip(), "raise <statementTimeoutMs> "
                        + "(-Dschema.statementTimeoutMs), or narrow the rules of " + config, e);
            }
            throw e;
        }
        listener.debug(String.format("%s, %s: %,d rows in %,d ms by %s", rounds == 0 ? "Rule" : "Round " + rounds,
                table.name.name(), rows, (System.nanoTime() - start) / 1_000_000, indexLookups ? "index lookups"
                        : "a scan"));
        return null;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowConsumer {
        void accept(String[] row);
    }

    private static List<String> names(SourceTable table) {
        return table.columns.stream().map(c -> c.name()).toList();
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
}
