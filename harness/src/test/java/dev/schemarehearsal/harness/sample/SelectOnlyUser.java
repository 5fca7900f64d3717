package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.Engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A user that can only read, made with the README's recipe (its Security section shows these GRANTs word for word),
 * so that tests sample their sources as users are told to.
 */
public final class SelectOnlyUser {
    /** The README's recipe for PostgreSQL: database {@code shop}, schema {@code public}. */
    static final String POSTGRESQL = """
            CREATE ROLE sampler LOGIN PASSWORD 'change-me';
            GRANT CONNECT ON DATABASE shop TO sampler;
            GRANT USAGE ON SCHEMA public TO sampler;
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO sampler;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO sampler;
            """;
    /** The README's recipe for MySQL and MariaDB: database {@code shop}. */
    static final String MYSQL = """
            CREATE USER 'sampler'@'%' IDENTIFIED BY 'change-me';
            GRANT SELECT ON shop.* TO 'sampler'@'%';
            """;

    public record Credentials(String user, String password) {
        /** The URL without the user and password it may name, which drivers would take over these. */
        public String url(String jdbcUrl) {
            String url = jdbcUrl;
            for (String stripped = url.replaceFirst("([?&])(user|password)=[^&]*&?", "$1"); !stripped.equals(url);
                 stripped = url.replaceFirst("([?&])(user|password)=[^&]*&?", "$1")) {
                url = stripped;
            }
            return url.replaceAll("[?&]$", "");
        }
    }

    private SelectOnlyUser() {
    }

    /** Creates such a user, of a name of its own, for the database the connection is in, once its tables exist. */
    public static Credentials create(Connection admin, Engine engine) throws SQLException {
        String user = "sampler_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID().toString().substring(0, 8);
        try (Statement statement = admin.createStatement()) {
            String database;
            try (ResultSet rs = statement.executeQuery(engine == Engine.POSTGRESQL ? "SELECT current_database()"
                    : "SELECT DATABASE()")) {
                rs.next();
                database = rs.getString(1);
            }
            String recipe = (engine == Engine.POSTGRESQL ? POSTGRESQL : MYSQL).replace("sampler", user)
                    .replace("change-me", password).replace(" shop", " " + database);
            for (String sql : recipe.split(";\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
        return new Credentials(user.toLowerCase(Locale.ROOT), password);
    }
}
