package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The session on the source, inside its read-only transaction, and the walls behind {@link SourceSql} around every
 * statement that holds a user's text: the driver must send it as one statement, and the session must be in the same
 * read-only transaction, unwritten, before and after it.
 */
final class Source implements AutoCloseable {
    /** The source's sessions' name on the server. */
    private static final String APPLICATION = "schema-rehearsal sample";

    private final Connection connection;
    private final Dialect dialect;
    /** The session's read-only state as the transaction began: every later check must find the same. */
    private final String readOnly;

    private Source(Connection connection, Dialect dialect) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.readOnly = dialect.readOnlyState(connection);
    }

    /**
     * Connects to the source (a {@code jdbc:mysql:} URL may turn out to be MariaDB) and begins the read-only
     * transaction.
     */
    static Source open(String sourceUrl, String user, String password, long statementTimeoutMs) throws SQLException {
        Dialect dialect = Dialect.forUrl(sourceUrl).orElseThrow();
        Connection connection = dialect.connectSource(sourceUrl, user, password, APPLICATION);
        try {
            dialect = dialect.onServer(connection);
            dialect.beginReadOnly(connection, statementTimeoutMs);
            return new Source(connection, dialect);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * Runs a statement that holds a user's text, already read by {@link SourceSql}: refused when the driver would send
     * it as more than one statement, and the session checked before and after (see {@link #checkReadOnly}).
     *
     * @param parameter the parameter the text comes from, for messages
     * @param origin    where it is written, for messages: file, line, rule or query
     */
    <T> T userStatement(String parameter, String origin, String sql, Work<T> work) throws SQLException {
        if (!dialect.sentAsOneStatement(connection, sql)) {
            throw new ConfigurationException(parameter, origin + ": the driver would send it as more than one statement",
                    "keep ';' inside strings and comments; schema:sample sends the source one statement at a time");
        }
        checkReadOnly(parameter, origin);
        T result = work.run();
        checkReadOnly(parameter, origin);
        return result;
    }

    /**
     * Stops the run when the session is no longer in its read-only transaction as it began, or wrote in it: something
     * undid a wall, and nothing more may be sent.
     */
    void checkReadOnly(String parameter, String origin) throws SQLException {
        String now = dialect.readOnlyState(connection);
        if (!now.equals(readOnly)) {
            throw new ConfigurationException(parameter, origin + ": the source session is no longer as it began its "
                    + "read-only transaction (" + readOnly + "; now " + now + "); the run stops and sends nothing more",
                    "remove what changes the session from " + origin + ", and sample as a user with SELECT privileges "
                            + "only (README, Security)");
        }
    }

    /** Ends the transaction without committing, then the session. */
    @Override
    public void close() throws SQLException {
        try (connection) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
    }

    /** A statement's work on the session. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }
}
