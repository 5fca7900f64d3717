package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a backfill's key in keyset batches. Each batch's upper bound is the key {@code size} rows above the last one,
 * read from the key's index ({@code ORDER BY key LIMIT size}), so gaps in the key don't make batches smaller and no
 * batch reads the whole table. Each batch runs in its own transaction, committed, or rolled back when sizes are
 * only being tried.
 */
final class KeysetWalk {
    /** One batch: keys above {@code from} up to {@code to}, {@code keys} of them. */
    record Step(int index, long from, long to, long keys, long rows, long startNanos, long endNanos) {
        long durationMs() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    /**
     * What a walk did.
     *
     * @param error         the engine's error of the batch that failed, else {@code null}
     * @param keysRemaining keys not walked after a failure, else 0
     */
    record Walk(List<Step> steps, long keys, long rows, long durationNanos, String error, long keysRemaining) {
        Walk {
            steps = List.copyOf(steps);
        }
    }

    /** Told after each batch. */
    interface Progress {
        Progress NONE = (steps, keys, rows, elapsedNanos) -> { };

        void batchDone(int steps, long keys, long rows, long elapsedNanos);
    }

    private KeysetWalk() {
    }

    /**
     * Walks from the lowest key until the key ends or {@code keyLimit} keys were walked.
     *
     * @param commit whether to keep each batch's changes; {@code false} rolls each back
     */
    static Walk walk(Connection connection, Backfill backfill, int size, long keyLimit, boolean commit, Progress progress)
            throws SQLException {
        String key = backfill.key();
        String table = backfill.table();
        Long lowest = single(connection, "SELECT min(" + key + ") FROM " + table);
        List<Step> steps = new ArrayList<>();
        long keys = 0;
        long rows = 0;
        String error = null;
        long remaining = 0;
        long start = System.nanoTime();
        if (lowest != null) {
            long from = lowest - 1;
            try (PreparedStatement bound = connection.prepareStatement("SELECT max(" + key + "), count(*) FROM (SELECT "
                    + key + " FROM " + table + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT " + size + ") batch")) {
                while (keys < keyLimit) {
                    bound.setLong(1, from);
                    long to;
                    long count;
                    try (ResultSet rs = bound.executeQuery()) {
                        rs.next();
                        to = rs.getLong(1);
                        count = rs.getLong(2);
                    }
                    connection.commit();
                    if (count == 0) {
                        break;
                    }
                    long batchStart = System.nanoTime();
                    long changed;
                    try {
                        changed = backfill.run(connection, from, to);
                        if (commit) {
                            connection.commit();
                        } else {
                            connection.rollback();
                        }
                    } catch (SQLException e) {
                        connection.rollback();
                        error = e.getMessage();
                        remaining = single(connection, "SELECT count(*) FROM " + table + " WHERE " + key + " > " + from);
                        break;
                    }
                    steps.add(new Step(steps.size() + 1, from, to, count, changed, batchStart, System.nanoTime()));
                    keys += count;
                    rows += changed;
                    from = to;
                    progress.batchDone(steps.size(), keys, rows, System.nanoTime() - start);
                }
            }
        }
        return new Walk(steps, keys, rows, System.nanoTime() - start, error, remaining);
    }

    /** Rows of the table, for progress. */
    static long count(Connection connection, Backfill backfill) throws SQLException {
        Long count = single(connection, "SELECT count(*) FROM " + backfill.table());
        return count == null ? 0 : count;
    }

    static Long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            Long result = null;
            if (rs.next()) {
                long value = rs.getLong(1);
                result = rs.wasNull() ? null : value;
            }
            connection.commit();
            return result;
        }
    }
}
