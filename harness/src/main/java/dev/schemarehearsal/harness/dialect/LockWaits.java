package dev.schemarehearsal.harness.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What sessions wait for, read from another session while they wait: which table lock, held or queued for by
 * which sessions. A probe that waited is then put down to the lock that held it, not to whatever ran meanwhile
 * (see {@link Dialect#lockWaits()}).
 */
public interface LockWaits {
    /** The id the engine's lock views know the session by. */
    long session(Connection connection) throws SQLException;

    /** The sessions among {@code sessions} that wait for a lock now, each with what it waits for. */
    List<Wait> waiting(Connection observer, Collection<Long> sessions) throws SQLException;

    /**
     * One session waiting for a lock.
     *
     * @param table    the table whose lock it waits for, or {@code null} when the engine doesn't say (a row's lock
     *                 without its table, a metadata lock without performance_schema)
     * @param blockers the sessions that hold or queue ahead for a lock it conflicts with; empty when not known
     */
    record Wait(long session, String table, Set<Long> blockers) {
        public Wait {
            blockers = Set.copyOf(blockers);
        }
    }
}
