package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.RehearsalResult.Stale;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function's results the database keeps: an expression or partial index's entries, a stored generated column's
 * values, a check constraint's verdict on each row. Each was computed by the function's body of the time and is not
 * computed again when the body changes (PostgreSQL's {@code CREATE OR REPLACE FUNCTION}; see
 * {@link Dialect#storedResults()}).
 */
public interface StoredResults {
    /**
     * The functions whose results are stored, by id, each with a digest of its body: another digest under the same id
     * is the function redefined.
     */
    Map<Long, String> functions(Connection connection) throws SQLException;

    /** What keeps the function's results now. */
    List<StoredResult> of(Connection connection, long function) throws SQLException;

    /**
     * Whether the results are still the older body's once the migration ended, read on a session of its own: empty
     * when they were computed again since (the index rebuilt, the constraint added anew), dropped, stored on a table
     * with no rows, or when every row holds what the body computes now (a generated column's value) or passes it (a
     * check). An index's entries can't be read: it is stale until rebuilt.
     */
    Optional<Stale> stale(Connection connection, StoredResult result) throws SQLException;

    /** The statements that compute the results again with the function's body now. */
    String rebuild(StoredResult result);

    /** What keeps a function's results. */
    enum Kind {
        INDEX("index"), GENERATED_COLUMN("generated column"), CHECK("check");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** As messages name it, e.g. {@code generated column}. */
        public String text() {
            return text;
        }
    }

    /**
     * One thing that keeps a function's results.
     *
     * @param function   the function as messages name it, e.g. {@code IMMUTABLE function normalize_email(text)}
     * @param table      the table, as SQL names it
     * @param name       the index, column or constraint, as SQL names it
     * @param expression the generated column's expression or the check's condition; {@code null} for an index
     * @param reads      a column the generated column's expression reads (writing it computes the column again), or
     *                   {@code null}
     * @param id         what the engine knows it by: the index's, constraint's or table's id
     * @param version    what changes when it is computed again: the index's storage, the column's number
     */
    record StoredResult(Kind kind, String function, String table, String name, String expression, String reads, long id,
                        long version) { }
}
