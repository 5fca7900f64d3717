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
    /** How long a statement that doesn't queue at the gate keeps it closed: the gate then only costs a session. */
    private static final long GATE_MS = 100;

    private final Set<HeldLock> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private SQLException failure;
    private Connection gate;

    /** @param gate a session whose {@link Dialect#closeGate} lock holds the statement in the queue, or {@code null} */
    LockWatcher(Dialect dialect, Connection observer, long sessionId, Connection gate) {
        this.gate = gate;
        long started = System.nanoTime();
        thread = new Thread(() -> {
            try {
                while (running) {
                    // Asked before the locks: a lock awaited now is still awaited, and so read, until the gate opens.
                    boolean queued = this.gate != null && dialect.waitsForLock(observer, sessionId);
                    Set<HeldLock> locks = dialect.locksHeldBy(observer, sessionId);
                    synchronized (seen) {
                        seen.addAll(locks);
                    }
                    if (queued || System.nanoTime() - started > GATE_MS * 1_000_000) {
                        openGate();
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

    private synchronized void openGate() throws SQLException {
        if (gate != null) {
            gate.rollback();
            gate = null;
        }
    }

    /** Stops watching; the locks seen while it watched. */
    Set<HeldLock> stop() throws SQLException {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        openGate();
        if (failure != null) {
            throw failure;
        }
        synchronized (seen) {
            return Set.copyOf(seen);
        }
    }
}
