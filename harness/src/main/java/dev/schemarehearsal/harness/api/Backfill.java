package dev.schemarehearsal.harness.api;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A backfill written in code: the same thing a {@code backfills/*.sql} file describes, for data changes SQL alone
 * can't express. The rehearsal walks the table's numeric key in keyset batches right after migration
 * {@link #after()} and calls {@link #run} once per batch, each batch in its own transaction.
 *
 * <pre>{@code
 * record LoyaltyTier() implements Backfill {
 *     public String name() { return "customers_loyalty_tier"; }
 *     public String after() { return "6"; }
 *     public String table() { return "customers"; }
 *     public String key() { return "id"; }
 *     public int batch() { return 5000; }
 *
 *     public long run(Connection connection, long from, long to) throws SQLException {
 *         try (PreparedStatement update = connection.prepareStatement(
 *                 "UPDATE customers SET loyalty_tier = 'bronze' WHERE id > ? AND id <= ? AND loyalty_tier IS NULL")) {
 *             update.setLong(1, from);
 *             update.setLong(2, to);
 *             return update.executeUpdate();
 *         }
 *     }
 *
 *     public Boolean verify(Connection connection) throws SQLException {
 *         try (Statement query = connection.createStatement();
 *              ResultSet rs = query.executeQuery("SELECT count(*) = 0 FROM customers WHERE loyalty_tier IS NULL")) {
 *             return rs.next() && rs.getBoolean(1);
 *         }
 *     }
 * }
 *
 * Rehearsal.configure()…backfill(new LoyaltyTier()).load().run(listener);
 * }</pre>
 *
 * A backfill should be idempotent: once it completed, running it again must change no rows (the rehearsal checks).
 */
public interface Backfill {
    /** Rows per batch when a backfill names none. */
    int DEFAULT_BATCH = 1000;

    /** Its name in reports and findings, e.g. {@code customers_loyalty_tier}. */
    String name();

    /** The version of the pending migration it runs right after, e.g. {@code 6}. */
    String after();

    /** The table whose key is walked, as SQL names it, e.g. {@code customers} or {@code shop.customers}. */
    String table();

    /** The table's numeric, indexed key column walked in batches, e.g. {@code id}. */
    String key();

    /** Rows of the key per batch. */
    default int batch() {
        return DEFAULT_BATCH;
    }

    /**
     * Runs one batch: changes the rows whose key is above {@code from} and at most {@code to}. The connection is in a
     * transaction the rehearsal commits afterwards (or rolls back, when it is trying batch sizes); don't commit here.
     *
     * @return the number of rows changed
     */
    long run(Connection connection, long from, long to) throws SQLException;

    /**
     * Checks, once every batch ran, that the backfill did its job, e.g. that no row is left NULL.
     *
     * @return whether it holds, or {@code null} when this backfill has no check (the default)
     */
    default Boolean verify(Connection connection) throws SQLException {
        return null;
    }

    /** Where it is defined, for messages: its file, or by default its name. */
    default String source() {
        return name();
    }
}
