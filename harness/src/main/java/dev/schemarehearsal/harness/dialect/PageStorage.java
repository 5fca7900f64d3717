package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A table's storage in pages, on an engine whose planner costs a table by its real size in pages and whose tables can
 * be padded with empty pages (PostgreSQL; see {@link Dialect#storagePadding()}).
 */
public interface PageStorage {
    /** The table's storage in pages. */
    long pages(Connection connection, TableName table) throws SQLException;

    /** How many of the table's rows, at their average size, fill a page. */
    long rowsPerPage(Connection connection, TableName table) throws SQLException;

    /**
     * For the rest of the current transaction, skips triggers and foreign-key checks where the session may: for
     * writes that are rolled back anyway.
     */
    void skipTriggers(Connection connection) throws SQLException;

    /**
     * For the rest of the current transaction, has the table's indexes store the copies of its rows about as large as
     * production's rows are stored: a copy repeats its row's values, which production holds once each.
     */
    void storeCopiesUncompressed(Connection connection, TableName table) throws SQLException;

    /**
     * Removes the dead rows of the table; {@code keepEmptyPages} leaves the pages they emptied at the end of the
     * table in place, else they are returned to the file system.
     */
    void vacuum(Connection connection, TableName table, boolean keepEmptyPages) throws SQLException;
}
