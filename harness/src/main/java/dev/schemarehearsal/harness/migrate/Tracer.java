package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.AlterAlgorithm;
import dev.schemarehearsal.harness.dialect.TableSnapshot;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Measures each statement the migration tool runs for a migration: between the migration's start and its end, every
 * statement on the migration's connection is one of its statements, except the tool's own (its history table, its
 * query for the database type). Measurements run on the same connection, inside the migration's
 * transaction, so they see its uncommitted effects; after a failed statement none run, as the transaction is
 * aborted, and the original exception goes back to the tool unchanged.
 */
final class Tracer implements TracedConnection.Hook {
    private final Dialect dialect;
    private final MigrationSource source;
    private final ShadowDatabase shadow;
    /** Statements whose locks are held until their transaction ends. */
    private final List<Trace> holdingLocks = new ArrayList<>();
    private Connection lockHolder;
    private Connection migration;
    private Set<String> preExisting = Set.of();
    private List<Trace> statements = new ArrayList<>();
    private Connection observer;
    /** Holds statements outside a transaction in the lock queue for a moment, so their locks are seen. */
    private Connection gate;

    Tracer(Dialect dialect, MigrationSource source, ShadowDatabase shadow) {
        this.dialect = dialect;
        this.source = source;
        this.shadow = shadow;
    }

    /** What the migration tool executes a statement with. */
    interface Execution {
        Object run() throws Throwable;
    }

    /** A migration starts on this connection: the tables that exist now are the ones its statements can hurt. */
    void begin(Connection connection) throws SQLException {
        migration = connection;
        statements = new ArrayList<>();
        preExisting = Set.copyOf(userTables(dialect, TracedConnection.unwrap(connection), source));
    }

    /** The user tables that exist now, without the migration tool's own, by name. */
    static List<String> userTables(Dialect dialect, Connection connection, MigrationSource source) throws SQLException {
        return dialect.snapshot(connection).tables().keySet().stream().filter(t -> !source.ownTable(t)).sorted().toList();
    }

    /** The migration's statements ran; their locks may still be held until its transaction ends. */
    List<Trace> end() {
        migration = null;
        return statements;
    }

    /** Whether a statement on the connection is one of the migration's own, not the migration tool's. */
    static boolean migrationStatement(Connection connection, Connection migration, String sql, MigrationSource source) {
        return connection == migration && sql != null && !source.ownStatement(sql);
    }

    @Override
    public Object execute(Connection connection, Connection real, String sql, Execution execution) throws Throwable {
        if (!migrationStatement(connection, migration, sql, source)) {
            return execution.run();
        }
        boolean transactional = !real.getAutoCommit();
        Optional<AlterAlgorithm> algorithm = dialect.alterAlgorithm(observer(), sql);
        TableSnapshot before = dialect.snapshot(real);
        // Where the engine's counters don't say which table a session scanned, the plan does.
        List<String> planned = dialect.measuring().plannedFullScans(real, sql, List.copyOf(preExisting));
        OptionalLong lockTimeoutMs = dialect.lockTimeoutMs(real);
        LockWatcher watcher = transactional ? null : watch(real);
        Trace trace = new Trace(statements.size() + 1, sql.strip(), System.nanoTime());
        trace.lockTimeoutMs = lockTimeoutMs.isPresent() ? lockTimeoutMs.getAsLong() : null;
        algorithm.ifPresent(a -> trace.algorithm = a.algorithm() + ", " + a.lock());
        statements.add(trace);
        Object result;
        try {
            result = execution.run();
        } catch (Throwable e) {
            trace.endNanos = System.nanoTime();
            trace.lockEndNanos = trace.endNanos;
            trace.error = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            if (watcher != null) {
                try {
                    watcher.stop();
                } catch (SQLException watchFailed) {
                    // The migration tool must see the statement's own failure, not the watcher's.
                }
            }
            throw e;
        }
        trace.endNanos = System.nanoTime();
        // Asked first: the measurements below would open a new transaction.
        trace.committed = !transactional || dialect.committedImplicitly(real);
        Set<HeldLock> locks = watcher != null ? watcher.stop() : new HashSet<>();
        TableSnapshot after = dialect.snapshot(real);
        if (transactional && !trace.committed) {
            locks.addAll(after.locks());
            locks.removeAll(before.locks());
            holdingLocks.add(trace);
            lockHolder = connection;
        } else {
            trace.lockEndNanos = trace.endNanos;
        }
        // The server's chosen lock stands for the table locks its own session can't show (metadata locks).
        algorithm.ifPresent(a -> locks.add(new HeldLock(a.table(), a.lock())));
        locks.stream().filter(l -> preExisting.contains(l.table())).forEach(trace.locks::add);
        compare(before, after, trace);
        planned.stream().filter(t -> !trace.scans.contains(t)).forEach(trace.scans::add);
        // Only an INSTANT change leaves the rows unread; every other algorithm reads the table, copying or indexing it.
        algorithm.filter(a -> !a.algorithm().equals("INSTANT") && !trace.scans.contains(a.table()))
                .ifPresent(a -> trace.scans.add(a.table()));
        return result;
    }

    /** What the statement did to the pre-existing tables: rewrote, scanned, dropped or narrowed. */
    private void compare(TableSnapshot before, TableSnapshot after, Trace trace) {
        for (String table : preExisting) {
            TableState was = before.tables().get(table);
            TableState now = after.tables().get(table);
            if (was == null) {
                continue;
            }
            if (now == null) {
                trace.destroyed.add(new Destroyed(table, null, null, null));
                continue;
            }
            was.columns().forEach((column, type) -> {
                String isType = now.columns().get(column);
                if (isType == null) {
                    trace.destroyed.add(new Destroyed(table, column, null, null));
                } else if (dialect.narrows(type, isType)) {
                    trace.destroyed.add(new Destroyed(table, column, type, isType));
                }
            });
            if (was.storage() != now.storage()) {
                trace.rewrites.add(table);
            }
            if (now.seqScans() > was.seqScans()) {
                trace.scans.add(table);
            }
        }
    }

    /** The connection committed or rolled back: the locks its statements took are released now. */
    @Override
    public void transactionEnded(Connection connection) {
        if (connection == lockHolder || connection == null) {
            long now = System.nanoTime();
            holdingLocks.forEach(t -> t.lockEndNanos = now);
            holdingLocks.clear();
        }
    }

    /** All migrations ran: locks still counted as held end now, and the observer session closes. */
    void finish() throws SQLException {
        transactionEnded(null);
        if (observer != null) {
            observer.close();
        }
        if (gate != null) {
            gate.close();
        }
    }

    private LockWatcher watch(Connection real) throws SQLException {
        OptionalLong session = dialect.sessionId(real);
        if (session.isEmpty()) {
            return null;
        }
        if (gate == null) {
            gate = shadow.connect(Purpose.GATE);
        }
        return new LockWatcher(dialect, observer(), session.getAsLong(),
                dialect.closeGate(gate, preExisting) ? gate : null);
    }

    /** A session of the harness's own on the database, opened once. */
    private Connection observer() throws SQLException {
        if (observer == null) {
            observer = shadow.connect(Purpose.OBSERVER);
        }
        return observer;
    }

    /** One statement as measured; its lock hold time is known once its transaction ends. */
    final class Trace {
        final int index;
        final String sql;
        final long startNanos;
        final Set<HeldLock> locks = new HashSet<>();
        final List<String> rewrites = new ArrayList<>();
        final List<String> scans = new ArrayList<>();
        final List<Destroyed> destroyed = new ArrayList<>();
        long endNanos;
        long lockEndNanos;
        Long lockTimeoutMs;
        String algorithm;
        boolean committed;
        String error;

        Trace(int index, String sql, long startNanos) {
            this.index = index;
            this.sql = sql;
            this.startNanos = startNanos;
        }

        StatementResult result(Integer line, long probeStallMs) {
            long lockEnd = lockEndNanos == 0 ? System.nanoTime() : lockEndNanos;
            List<Lock> held = locks.stream()
                    .sorted(Comparator.comparing(HeldLock::table).thenComparing(HeldLock::mode))
                    .map(l -> new Lock(l.table(), l.mode(), dialect.blocks(l.mode()).stream().sorted().toList(),
                            (lockEnd - startNanos) / 1_000_000))
                    .toList();
            List<Destroyed> lost = destroyed.stream().sorted(Comparator.comparing(Destroyed::table)
                    .thenComparing(d -> d.column() == null ? "" : d.column())).toList();
            return new StatementResult(index, line, sql, (endNanos - startNanos) / 1_000_000, held,
                    rewrites.stream().sorted().toList(), scans.stream().sorted().toList(), lost, probeStallMs, null,
                    lockTimeoutMs, committed, error, algorithm);
        }
    }
}
