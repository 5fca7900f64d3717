package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.history.Records.Parsed;
import dev.schemarehearsal.harness.history.Records.Reading;
import dev.schemarehearsal.harness.history.Records.Stored;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of one row per run in a PostgreSQL or MySQL/MariaDB database, {@value #TABLE}, created on first use. The
 * record is the row's JSON text; its time, branch, commit and verdict are columns of their own as well, for anyone
 * who queries the table. Two jobs append at once without harm: each inserts a row of its own, and the table is created
 * with {@code IF NOT EXISTS} (one losing PostgreSQL's race to create it finds it made). Nothing else in the database is
 * read or written. Each operation takes a session of its own: a rehearsal lasts long enough for an idle one to be cut.
 */
final class DatabaseStore implements Store {
    static final String TABLE = "schema_rehearsal_history";
    private static final String COLUMNS = "id, recorded_at, branch, git_commit, verdict, format, record";

    private final String url;
    private final String user;
    private final String password;
    private final Dialect dialect;

    DatabaseStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = Dialect.forUrl(url).orElseThrow(() -> new ConfigurationException("history", "'"
                + Secrets.redact(url) + "' is no PostgreSQL, MySQL or MariaDB JDBC URL",
                "set <history> to true (a folder in the project), a folder, or a URL such as "
                        + "jdbc:postgresql://host:5432/ci"));
    }

    @Override
    public Reading read() {
        List<Stored> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Connection connection = open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, record FROM " + TABLE + " ORDER BY id")) {
            while (rows.next()) {
                String id = Long.toString(rows.getLong(1));
                Parsed parsed = Records.parse(TABLE + " id " + id, rows.getString(2));
                if (parsed.record() != null) {
                    runs.add(new Stored(id, parsed.record()));
                } else {
                    skipped.add(parsed.skipped());
                }
            }
        } catch (SQLException e) {
            throw failure("could not read the history", e);
        }
        return new Reading(runs, skipped);
    }

    @Override
    public Stored append(RunRecord record) {
        try (Connection connection = open(); PreparedStatement insert = connection.prepareStatement("INSERT INTO "
                + TABLE + " (recorded_at, branch, git_commit, verdict, format, record) VALUES (?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            insert.setString(1, record.at());
            insert.setString(2, record.branch());
            insert.setString(3, record.commit());
            insert.setString(4, record.verdict());
            insert.setInt(5, record.format());
            insert.setString(6, Records.json(record));
            insert.executeUpdate();
            try (ResultSet key = insert.getGeneratedKeys()) {
                key.next();
                return new Stored(Long.toString(key.getLong(1)), record);
            }
        } catch (SQLException e) {
            throw failure("could not append the run to the history", e);
        }
    }

    @Override
    public void delete(List<Stored> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection connection = open();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
            for (Stored record : records) {
                delete.setLong(1, Long.parseLong(record.id()));
                delete.addBatch();
            }
            delete.executeBatch();
        } catch (SQLException e) {
            throw failure("could not delete the old runs from the history", e);
        }
    }

    /** A session on the database, the table there: created when it is missing, checked to be this tool's. */
    private Connection open() throws SQLException {
        Connection connection;
        try {
            connection = dialect.connectHistory(url, user, password);
        } catch (SQLException e) {
            throw new InfrastructureException("could not connect to the history database " + Secrets.redact(url)
                    + ": " + e.getMessage(), "check <history>'s URL, that the server is up, and the credentials of "
                    + "<historyServerId>", e);
        }
        try {
            if (!hasTable(connection)) {
                create(connection);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.createHistoryTable(TABLE));
        } catch (SQLException e) {
            // Another job may have created it meanwhile (PostgreSQL's IF NOT EXISTS is no guard against that race).
            if (!hasTable(connection)) {
                throw new InfrastructureException("could not create the table " + TABLE + " for the history in "
                        + Secrets.redact(url) + ": " + e.getMessage(), "grant the history's user CREATE on the "
                        + "database, or create the table as the README shows", e);
            }
        }
        if (!hasTable(connection)) {
            throw new ConfigurationException("history", "a table " + TABLE + " exists in " + Secrets.redact(url)
                    + " but lacks the columns " + COLUMNS + ": it was not made by schema-rehearsal",
                    "set <history> to another database, or rename that table");
        }
    }

    /** Whether the table is there with every column the tool reads and writes. */
    private static boolean hasTable(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            if (!autoCommit) {
                connection.rollback();
            }
            return false;
        }
    }

    private InfrastructureException failure(String what, SQLException e) {
        return new InfrastructureException(what + " in " + Secrets.redact(url) + ": " + e.getMessage(),
                "check the history database, and that its user may read, insert into and delete from " + TABLE, e);
    }
}
