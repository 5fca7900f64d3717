package dev.schemarehearsal.harness.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MySQL 8 and MariaDB 10.6 and later: the keys of each match are one JSON document, an array of keys each an array of
 * values, read as rows by {@code JSON_TABLE} into a derived table the server materializes with an index on its
 * columns. {@code STRAIGHT_JOIN} fixes the order the catalog chose: without an index on the table, the table is read
 * once and each row looked up among the keys; with one, the keys are read and each looked up in the table's index.
 */
final class MySqlSampleQueries implements SampleQueries {
    private static final JsonMapper JSON = new JsonMapper();
    private static final String TABLE = "sr_t";
    /** Types JSON_TABLE declares as the catalog writes them; others (ENUM, SET, UUID, INET6 …) are compared as text. */
    private static final Set<String> DECLARED = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "date", "datetime", "timestamp", "time", "year", "char", "varchar",
            "binary", "varbinary");

    private final Dialect dialect;
    private final long maxKeyBytes;

    MySqlSampleQueries(Dialect dialect, Connection connection) throws SQLException {
        this.dialect = dialect;
        String version = connection.getMetaData().getDatabaseProductVersion();
        Matcher release = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        if (release.find()) {
            int[] parts = {Integer.parseInt(release.group(1)), Integer.parseInt(release.group(2)),
                    Integer.parseInt(release.group(3))};
            boolean mariadb = version.contains("MariaDB");
            boolean jsonTable = mariadb ? parts[0] > 10 || parts[0] == 10 && parts[1] >= 6
                    : parts[0] > 8 || parts[0] == 8 && (parts[1] > 0 || parts[2] >= 4);
            if (!jsonTable) {
                throw new InfrastructureException("the source runs " + (mariadb ? "MariaDB " : "MySQL ") + version
                        + ", which has no JSON_TABLE: schema:sample sends the keys it looks up as one JSON document",
                        "sample a server of MariaDB 10.6 or later, or MySQL 8.0.4 or later (a replica of that version "
                                + "will do)", null);
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            // Half the packet: the JSON's quotes and brackets and the statement's text need the rest.
            this.maxKeyBytes = rs.getLong(1) / 2;
        }
    }

    @Override
    public String select(TableName table, List<String> columns, List<Match> matches, boolean scan,
                         List<String> orderKey, long seed, long limit) {
        StringBuilder sql = new StringBuilder("SELECT STRAIGHT_JOIN ").append(columns.stream().map(this::column)
                .collect(Collectors.joining(", ")));
        String hash = orderKey == null ? null : dialect.sampleHash(orderKey.stream().map(this::column).toList(), seed);
        if (hash != null) {
            sql.append(", ").append(hash);
        }
        String tableItem = table.sql(dialect) + " " + TABLE;
        List<String> keyItems = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (int m = 0; m < matches.size(); m++) {
            Match match = matches.get(m);
            String alias = "sr_k" + m;
            List<String> declared = new ArrayList<>();
            List<String> on = new ArrayList<>();
            for (int c = 0; c < match.columns().size(); c++) {
                declared.add("v" + c + " " + match.types().get(c) + " PATH '$[" + c + "]'");
                on.add(column(match.columns().get(c)) + " = " + alias + ".v" + c);
            }
            // DISTINCT keeps the derived table from being merged away: materialized, it gets an index on its columns.
            keyItems.add("(SELECT DISTINCT * FROM JSON_TABLE(?, '$[*]' COLUMNS (" + String.join(", ", declared)
                    + ")) AS sr_j) AS " + alias);
            conditions.add(String.join(" AND ", on));
            found.add(alias + ".v0 IS NOT NULL");
        }
        if (matches.size() > 1) {
            // Several key sets: the table once, each row looked up in each set.
            sql.append(" FROM ").append(tableItem);
            for (int m = 0; m < matches.size(); m++) {
                sql.append(" LEFT JOIN ").append(keyItems.get(m)).append(" ON ").append(conditions.get(m));
            }
            sql.append(" WHERE ").append(String.join(" OR ", found));
        } else if (scan) {
            sql.append(" FROM ").append(tableItem).append(" JOIN ").append(keyItems.get(0)).append(" ON ")
                    .append(conditions.get(0));
        } else {
            sql.append(" FROM ").append(keyItems.get(0)).append(" JOIN ").append(tableItem).append(" ON ")
                    .append(conditions.get(0));
        }
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
        try {
            statement.setString(index, JSON.writeValueAsString(keys));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return index + 1;
    }

    @Override
    public long maxKeyBytes() {
        return maxKeyBytes;
    }

    /** String columns keep their character set and collation, so that the keys compare as the column does. */
    @Override
    public Map<String, String> columnTypes(Connection connection, TableName table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                + "CHARACTER_MAXIMUM_LENGTH, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, table.catalog() != null ? table.catalog() : table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String data = rs.getString(2).toLowerCase(Locale.ROOT);
                    String charset = rs.getString(5);
                    String collation = rs.getString(6);
                    String type = DECLARED.contains(data) ? rs.getString(3)
                            : "varchar(" + Math.max(64, Math.min(rs.getLong(4), 4096)) + ")";
                    if (charset != null && (data.contains("char") || !DECLARED.contains(data))) {
                        type += " CHARACTER SET " + charset + (collation == null ? "" : " COLLATE " + collation);
                    } else if (!DECLARED.contains(data)) {
                        type += " CHARACTER SET utf8mb4";
                    }
                    types.put(rs.getString(1), type);
                }
            }
        }
        return types;
    }

    /**
     * MySQL's driver (jdbc:mysql:) streams row by row with the smallest fetch size; MariaDB's (jdbc:mariadb:) fetches
     * that many rows at a time. Either way the session sends nothing else until the result is read. The join order
     * the statement fixes ({@code STRAIGHT_JOIN}) says how keys are looked up.
     */
    @Override
    public PreparedStatement prepareStreaming(Connection connection, String sql, boolean indexLookups)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
        boolean mariadbDriver = connection.getMetaData().getDriverName().contains("MariaDB");
        statement.setFetchSize(mariadbDriver ? 10_000 : Integer.MIN_VALUE);
        return statement;
    }

    /** MariaDB's max_statement_time (ER_STATEMENT_TIMEOUT) and MySQL's max_execution_time (ER_QUERY_TIMEOUT). */
    @Override
    public boolean timedOut(SQLException e) {
        return e.getErrorCode() == 1969 || e.getErrorCode() == 3024;
    }
}
