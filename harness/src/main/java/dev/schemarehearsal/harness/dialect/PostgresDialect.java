package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

final class PostgresDialect implements Dialect {

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public List<String> urlSchemes() {
        return List.of("postgresql");
    }

    @Override
    public String connectionProperties() {
        // The engine parses CSV text into the column's type: strings are sent untyped.
        return "stringtype=unspecified&reWriteBatchedInserts=true&ApplicationName=schema-rehearsal";
    }

    @Override
    public void configure(FluentConfiguration flyway) {
        // Flyway's default lock is a transaction-scoped advisory lock held in an open transaction, which
        // CREATE INDEX CONCURRENTLY waits for forever: take the session-scoped lock instead.
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void dropDatabase(Connection admin, String name) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            if (admin.getMetaData().getDatabaseMajorVersion() >= 13) {
                statement.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
                return;
            }
        }
        try (PreparedStatement terminate = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, name);
            terminate.executeQuery().close();
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
        }
    }

    @Override
    public List<String> databasesStartingWith(Connection admin, String prefix) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
            query.setString(1, prefix);
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
        // Unquoted identifiers fold to lower case in PostgreSQL.
        String schema = dot < 0 ? connection.getSchema() : qualifiedName.substring(0, dot).toLowerCase(Locale.ROOT);
        String table = (dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1)).toLowerCase(Locale.ROOT);
        return new TableName(null, schema, table);
    }
}
