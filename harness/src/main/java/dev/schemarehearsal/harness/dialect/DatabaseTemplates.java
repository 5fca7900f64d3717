package dev.schemarehearsal.harness.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Copying a whole database on its server, data, schema and statistics, from a template database that is only read
 * (PostgreSQL's {@code CREATE DATABASE ... TEMPLATE}; see {@link Dialect#templates()}).
 */
public interface DatabaseTemplates {
    /** The SQL that creates the database {@code name} as a copy of {@code template}. */
    String copy(String name, String template);

    /** Whether the server refused the copy because there is no such template. */
    boolean missing(SQLException refusal);

    /**
     * The sessions connected to the template, one description each (process id, user, application, client, state),
     * when the server refused the copy because of them; else empty.
     */
    Optional<List<String>> inTheWay(Connection admin, String template, SQLException refusal) throws SQLException;

    /** The databases on the server a user may copy, by name. */
    List<String> databases(Connection admin) throws SQLException;
}
