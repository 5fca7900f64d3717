package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A backfill read from a file.
 *
 * @param sql        the statement with {@code ?} where the file had {@code :from} and {@code :to}
 * @param parameters {@code from} or {@code to} for each {@code ?}, in order
 * @param verifySql  the verify query, or {@code null}
 * @param afterLine  the line of the {@code -- after:} header, for messages about the version
 */
record SqlBackfill(String name, String after, String table, String key, int batch, String verifySql, String sql,
                   List<String> parameters, String file, int afterLine) implements Backfill {

    SqlBackfill {
        parameters = List.copyOf(parameters);
    }

    @Override
    public long run(Connection connection, long from, long to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setLong(i + 1, parameters.get(i).equals("from") ? from : to);
            }
            return statement.executeLargeUpdate();
        }
    }

    @Override
    public Boolean verify(Connection connection) throws SQLException {
        if (verifySql == null) {
            return null;
        }
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(verifySql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Override
    public String source() {
        return file + ":" + afterLine;
    }
}
