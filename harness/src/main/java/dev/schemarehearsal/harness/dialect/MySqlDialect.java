package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** MySQL and MariaDB: one dialect, the engine decides the few differences. */
final class MySqlDialect implements Dialect {
    private final Engine engine;

    MySqlDialect(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public List<String> urlSchemes() {
        return List.of("mysql", "mariadb");
    }

    @Override
    public String connectionProperties() {
        return "rewriteBatchedStatements=true&useSSL=false&allowPublicKeyRetrieval=true";
    }

    /**
     * InnoDB's tablespace id of each table of the current database: an ALTER that rebuilds the table (COPY, or
     * INPLACE with a rebuild) gives it a new one. Table locks and scans are not measured on MySQL/MariaDB yet:
     * metadata locks need performance_schema or the METADATA_LOCK_INFO plugin, and DDL commits implicitly.
     */
    @Override
    public TableSnapshot snapshot(Connection connection) throws SQLException {
        String view = engine == Engine.MARIADB ? "INNODB_SYS_TABLES" : "INNODB_TABLES";
        Map<String, Map<String, String>> columns = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT table_name, column_name, column_type "
                + "FROM information_schema.columns WHERE table_schema = DATABASE()"); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        Map<String, TableState> tables = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT SUBSTRING(name, CHAR_LENGTH(DATABASE()) + 2), "
                + "space FROM information_schema." + view + " WHERE name LIKE CONCAT(DATABASE(), '/%')");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                tables.put(rs.getString(1), new TableState(rs.getLong(2), 0, columns.getOrDefault(rs.getString(1), Map.of())));
            }
        }
        return new TableSnapshot(tables, Set.of());
    }

    /** DDL commits the open transaction: afterwards the session is in none until its next statement. */
    @Override
    public boolean committedImplicitly(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@in_transaction")) {
            return rs.next() && rs.getInt(1) == 0;
        }
    }

    @Override
    public boolean narrows(String fromType, String toType) {
        return TypeWidths.narrows(List.of("tinyint", "smallint", "mediumint", "int", "bigint"),
                List.of("text", "varchar"), fromType, toType);
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public void dropDatabase(Connection admin, String name) throws SQLException {
        // DROP DATABASE waits for the metadata locks of sessions still in it: end them first.
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    sessions.add(rs.getLong(1));
                }
            }
        }
        try (Statement statement = admin.createStatement()) {
            for (long id : sessions) {
                try {
                    statement.execute("KILL " + id);
                } catch (SQLException alreadyGone) {
                    // The session ended on its own between the query and the KILL.
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
        }
    }

    @Override
    public List<String> databasesStartingWith(Connection admin, String prefix) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT schema_name FROM information_schema.schemata WHERE LEFT(schema_name, CHAR_LENGTH(?)) = ? ORDER BY 1")) {
            query.setString(1, prefix);
            query.setString(2, prefix);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    @Override
    public TableName tableName(Connection connection, String qualifiedName) throws SQLException {
        int dot = qualifiedName.indexOf('.');
        String database = dot < 0 ? null : qualifiedName.substring(0, dot);
        String table = dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1);
        return new TableName(database == null ? connection.getCatalog() : database, null, table);
    }
}
