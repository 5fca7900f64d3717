package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statements {@code schema:sample} reads rows by key with: every key found so far sent at once as bound
 * parameters (arrays on PostgreSQL, a JSON document read by {@code JSON_TABLE} on MySQL and MariaDB) and joined to the
 * table, so that a table is read once per closure round whether or not an index serves the lookup. The SQL is the
 * tool's own; values are never written into it.
 */
public interface SampleQueries {

    static SampleQueries of(Dialect dialect, Connection connection) throws SQLException {
        return dialect.engine() == Engine.POSTGRESQL ? new PostgresSampleQueries(dialect)
                : new MySqlSampleQueries(dialect, connection);
    }

    /**
     * Rows whose columns equal one of the keys bound for this match.
     *
     * @param columns the table's columns compared, plain names
     * @param types   each column's type as the engine casts the keys to it (see {@link #columnTypes})
     */
    record Match(List<String> columns, List<String> types) { }

    /**
     * The table's rows that satisfy any of the matches, as one statement: each match's keys bound by {@link #bind} in
     * the matches' order.
     *
     * @param columns  the columns selected, plain names; with {@code orderKey} the row's selection hash follows them
     * @param scan     no index serves the matches: the table is read once and each row looked up among the keys (a
     *                 hash join), where the engine lets the statement say so; otherwise the keys drive index lookups
     * @param orderKey when not null, rows come by the table's selection hash with {@code seed}, then by these (key)
     *                 columns, at most {@code limit} of them
     */
    String select(TableName table, List<String> columns, List<Match> matches, boolean scan, List<String> orderKey,
                  long seed, long limit);

    /**
     * Binds one match's keys from parameter {@code index}, each key a list of values in the match's column order, as
     * the engine writes them as text; returns the next parameter index.
     */
    int bind(Connection connection, PreparedStatement statement, int index, Match match, Collection<List<String>> keys)
            throws SQLException;

    /** How many bytes of key values one statement may carry: a statement larger than the server accepts fails. */
    long maxKeyBytes();

    /** The type of each column of the table as the keys of a {@link Match} are cast to, by column name. */
    Map<String, String> columnTypes(Connection connection, TableName table) throws SQLException;

    /**
     * The columns of each index of the table that can look rows up by plain column values, in index order, by index
     * name: partial and expression-only indexes are left out.
     */
    default Map<String, List<String>> indexes(Connection connection, TableName table) throws SQLException {
        Map<String, Map<Integer, String>> indexes = new TreeMap<>();
        List<String> partial = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(table.catalog(), table.schema(), table.name(), false,
                true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null || rs.getString("COLUMN_NAME") == null) {
                    continue;
                }
                if (rs.getString("FILTER_CONDITION") != null) {
                    partial.add(name);
                }
                indexes.computeIfAbsent(name, n -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"),
                        rs.getString("COLUMN_NAME"));
            }
        }
        Map<String, List<String>> columns = new LinkedHashMap<>();
        indexes.forEach((name, byPosition) -> {
            if (!partial.contains(name)) {
                columns.put(name, List.copyOf(byPosition.values()));
            }
        });
        return columns;
    }

    /**
     * Prepares a statement whose rows the driver streams from the server rather than reading them all first, so that
     * memory does not grow with a result. Inside the session's transaction.
     *
     * @param indexLookups the statement's keys are to be looked up in an index, one by one, as the catalog chose: where
     *                     the statement cannot say so itself, the session is told so until {@link #done}
     */
    PreparedStatement prepareStreaming(Connection connection, String sql, boolean indexLookups) throws SQLException;

    /** Undoes what {@link #prepareStreaming} told the session, so that later statements are planned as before. */
    default void done(Connection connection) throws SQLException {
    }

    /** Whether the statement failed because it ran longer than the session's statement timeout. */
    boolean timedOut(SQLException e);
}
