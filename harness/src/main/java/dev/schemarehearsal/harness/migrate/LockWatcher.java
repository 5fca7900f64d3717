package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches a session's table locks from another session while it runs one statement outside a transaction: such
 * a statement has released its locks by the time its own session could look.
 */
final class LockWatcher {
    private final Set<HeldLock> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private SQLException failure;

    LockWatcher(Dialect dialect, Connection observer, long sessionId) {
        thread = new Thread(() -> {
            try {
                while (running) {
                    Set<HeldLock> locks = dialect.locksHeldBy(observer, sessionId);
                    synchronized (seen) {
                        seen.addAll(locks);
                    }
                    // Often enough to see statements of a few milliseconds, rarely enough to leave the CPU to them.
                    Thread.sleep(1);
                }
            } catch (SQLException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "schema-rehearsal-lock-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops watching; the locks seen while it watched. */
    Set<HeldLock> stop() throws SQLException {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (seen) {
            return Set.copyOf(seen);
        }
    }
}
