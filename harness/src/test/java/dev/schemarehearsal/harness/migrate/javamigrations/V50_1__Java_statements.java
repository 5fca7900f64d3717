package dev.schemarehearsal.harness.migrate.javamigrations;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.PreparedStatement;
import java.sql.Statement;

/** A Java migration of StatementTracingIT: its statements run on the connection Flyway hands it. */
public class V50_1__Java_statements extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE java_statements ADD COLUMN c int");
        }
        try (PreparedStatement update = context.getConnection().prepareStatement(
                "UPDATE java_statements SET c = ? WHERE id = ?")) {
            update.setInt(1, 7);
            update.setInt(2, 1);
            update.executeUpdate();
        }
    }
}
