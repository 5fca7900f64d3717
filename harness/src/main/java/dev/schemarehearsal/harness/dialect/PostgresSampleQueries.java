package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PostgreSQL: the keys of each match are one text array per column, cast to the column's type and unnested into rows
 * the table's columns must be {@code IN} (or, for several matches, distinct rows left joined). The planner hashes the keys and scans the table once, or probes an index for
 * each key; it sees how many keys there are, as each statement is planned with its parameters (no server-side
 * prepared statement).
 */
final class PostgresSampleQueries implements SampleQueries {
    /** Rows fetched per round trip while a result streams. */
    private static final int FETCH = 10_000;
    private static final String TABLE = "sr_t";

    private final Dialect dialect;
    /** Whether hash and merge joins are off in the session's transaction. */
    private boolean indexLookups;

    PostgresSampleQueries(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String select(TableName table, List<String> columns, List<Match> matches, boolean scan,
                         List<String> orderKey, long seed, long limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns.stream().map(this::column)
                .collect(Collectors.joining(", ")));
        String hash = orderKey == null ? null : dialect.sampleHash(orderKey.stream().map(this::column).toList(), seed);
        if (hash != null) {
            sql.append(", ").append(hash);
        }
        sql.append(" FROM ").append(table.sql(dialect)).append(' ').append(TABLE);
        // The keys as a set the planner knows to be distinct, so that it hashes them (or probes an index with each)
        // and never hashes the table to probe it with the keys, as it may for a join with unnest, whose rows have no
        // statistics. One set: the row's columns IN it. Several: each left joined, a row of the one scan matching any
        // (not IN … OR IN …, which the planner runs as a subplan per row once the keys outgrow work_mem).
        boolean several = matches.size() > 1;
        List<String> conditions = new ArrayList<>();
        for (int m = 0; m < matches.size(); m++) {
            Match match = matches.get(m);
            List<String> arrays = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> on = new ArrayList<>();
            String alias = "sr_k" + m;
            for (int c = 0; c < match.columns().size(); c++) {
                arrays.add("CAST(? AS " + match.types().get(c) + "[])");
                names.add("v" + c);
                on.add(column(match.columns().get(c)) + " = " + alias + ".v" + c);
            }
            String keys = "SELECT " + (several ? "DISTINCT " : "") + String.join(", ", names) + " FROM unnest("
                    + String.join(", ", arrays) + ") AS sr_u(" + String.join(", ", names) + ")";
            if (several) {
                sql.append(" LEFT JOIN (").append(keys).append(") AS ").append(alias).append(" ON ")
                        .append(String.join(" AND ", on));
                conditions.add(alias + ".v0 IS NOT NULL");
            } else {
                conditions.add("(" + match.columns().stream().map(this::column).collect(Collectors.joining(", "))
                        + ") IN (" + keys + ")");
            }
        }
        sql.append(" WHERE ").append(String.join(" OR ", conditions));
        if (hash != null) {
            sql.append(" ORDER BY ").append(hash).append(", ")
                    .append(orderKey.stream().map(this::column).collect(Collectors.joining(", ")))
                    .append(" LIMIT ").append(limit);
        }
        return sql.toString();
    }

    private String column(String name) {
        return TABLE + "." + dialect.quote(name);
    }

    @Override
    public int bind(Connection connection, PreparedStatement statement, int index, Match match,
                    Collection<List<String>> keys) throws SQLException {
        for (int c = 0; c < match.columns().size(); c++) {
            Object[] values = new Object[keys.size()];
            int i = 0;
            for (List<String> key : keys) {
                values[i++] = key.get(c);
            }
            statement.setArray(index++, connection.createArrayOf("text", values));
        }
        return index;
    }

    /** An array parameter may be up to 1 GB; a quarter of that leaves room for the rest of the message. */
    @Override
    public long maxKeyBytes() {
        return 256L << 20;
    }

    /** Without the type modifier: a length or precision would only cut values that came from such columns anyway. */
    @Override
    public Map<String, String> columnTypes(Connection connection, TableName table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL) "
                + "FROM pg_attribute a WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped "
                + "ORDER BY a.attnum")) {
            statement.setString(1, table.sql(dialect));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    /**
     * A fetch size streams through a portal inside the transaction; planned with its parameters every time. For index
     * lookups, hash and merge joins are off for the transaction ({@code SET LOCAL}) until a scan or {@link #done}: the
     * planner, costing random reads as from disk, would otherwise scan a large table once per round for a few
     * thousand keys its index finds in a fraction of the time.
     */
    @Override
    public PreparedStatement prepareStreaming(Connection connection, String sql, boolean indexLookups)
            throws SQLException {
        if (indexLookups != this.indexLookups) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCAL enable_hashjoin TO " + (indexLookups ? "off" : "DEFAULT"));
                set.execute("SET LOCAL enable_mergejoin TO " + (indexLookups ? "off" : "DEFAULT"));
            }
            this.indexLookups = indexLookups;
        }
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        statement.setFetchSize(FETCH);
        return statement;
    }

    @Override
    public void done(Connection connection) throws SQLException {
        prepareStreaming(connection, "SELECT 1", false).close();
    }

    /** query_canceled: what statement_timeout raises. */
    @Override
    public boolean timedOut(SQLException e) {
        return "57014".equals(e.getSQLState());
    }
}
