package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
import dev.schemarehearsal.harness.api.RehearsalResult.Stale;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.AlterAlgorithm;
import dev.schemarehearsal.harness.dialect.StoredResults;
import dev.schemarehearsal.harness.dialect.StoredResults.StoredResult;
import dev.schemarehearsal.harness.dialect.TableSnapshot;
import dev.schemarehearsal.harness.dialect.TableSnapshot.ColumnState;
import dev.schemarehearsal.harness.dialect.TableSnapshot.HeldLock;
import dev.schemarehearsal.harness.dialect.TableSnapshot.TableState;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

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
    private final RehearsalListener listener;
    /** Statements whose locks are held until their transaction ends. */
    private final List<Trace> holdingLocks = new ArrayList<>();
    private Connection lockHolder;
    private Connection migration;
    /** The tables that existed before the migration, under their names now. */
    private Set<String> preExisting = new HashSet<>();
    private List<Trace> statements = new ArrayList<>();
    private Connection observer;
    /** Holds statements outside a transaction in the lock queue for a moment, so their locks are seen. */
    private Connection gate;
    /** Counts the migration session's transactions: statements of one transaction hold each other's locks. */
    private int transaction;
    /** The migration session's id where the engine tells what probes wait for, else 0. */
    private long session;
    private final Optional<StoredResults> storedResults;
    /** The migration's statements that redefined a function whose results are kept, until its transaction ends. */
    private final List<Trace> unsettled = new ArrayList<>();

    Tracer(Dialect dialect, MigrationSource source, ShadowDatabase shadow, RehearsalListener listener) {
        this.dialect = dialect;
        this.source = source;
        this.shadow = shadow;
        this.storedResults = dialect.storedResults();
        this.listener = listener;
    }

    /** What the migration tool executes a statement with. */
    interface Execution {
        Object run() throws Throwable;
    }

    /** A migration starts on this connection: the tables that exist now are the ones its statements can hurt. */
    void begin(Connection connection) throws SQLException {
        migration = connection;
        statements = new ArrayList<>();
        unsettled.clear();
        Connection real = TracedConnection.unwrap(connection);
        preExisting = new HashSet<>(userTables(dialect, real, source));
        session = dialect.lockWaits().isEmpty() ? 0 : dialect.lockWaits().get().session(real);
    }

    /** The id the engine knows the current migration's session by, for telling what blocked a probe; 0 if none. */
    long session() {
        return session;
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
        Optional<AlterAlgorithm> algorithm = dialect.alterAlgorithm(observer(), sql, listener);
        TableSnapshot before = dialect.snapshot(real);
        // Where the engine's counters don't say which table a session scanned, the plan does.
        List<String> planned = dialect.measuring().plannedFullScans(real, sql, List.copyOf(preExisting));
        Map<Long, String> functionsBefore = storedResults.isPresent() ? storedResults.get().functions(real) : Map.of();
        OptionalLong lockTimeoutMs = dialect.lockTimeoutMs(real);
        LockWatcher watcher = transactional ? null : watch(real);
        Trace trace = new Trace(statements.size() + 1, sql.strip(), System.nanoTime());
        trace.transaction = transaction;
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
        if (transactional && trace.committed) {
            // DDL that commits implicitly ends the open transaction as it starts, and its own as it ends.
            endTransaction(trace.startNanos);
            trace.transaction = transaction;
        }
        Set<HeldLock> locks = watcher != null ? new HashSet<>(watcher.stop()) : new HashSet<>();
        TableSnapshot after = dialect.snapshot(real);
        if (transactional && !trace.committed) {
            locks.addAll(after.locks());
            // Held before the statement already, whatever the table is called now.
            locks.removeIf(lock -> before.locks().stream().anyMatch(held -> held.mode().equals(lock.mode())
                    && (lock.tableId() != 0 ? held.tableId() == lock.tableId() : held.equals(lock))));
            holdingLocks.add(trace);
            lockHolder = connection;
        } else {
            trace.lockEndNanos = trace.endNanos;
            transaction++;
        }
        // The server's chosen lock stands for the table locks its own session can't show (metadata locks).
        algorithm.ifPresent(a -> locks.add(new HeldLock(a.table(), a.lock())));
        Set<String> existed = Set.copyOf(preExisting);
        compare(before, after, trace);
        planned.stream().filter(t -> !trace.scans.contains(t)).forEach(trace.scans::add);
        // A table is named as it was before the statement: a lock on a table it renamed or dropped is that table's.
        Map<Long, String> named = new HashMap<>();
        before.tables().forEach((table, state) -> named.put(state.id(), table));
        for (HeldLock lock : locks) {
            String table = lock.tableId() != 0 && named.containsKey(lock.tableId()) ? named.get(lock.tableId()) : lock.table();
            if (table != null && existed.contains(table)) {
                trace.locks.add(new HeldLock(lock.tableId(), table, lock.mode()));
            }
        }
        // Dropping or renaming a table locks it, whether or not the engine shows that lock to its own session.
        dialect.dropOrRenameLock().ifPresent(mode -> Stream.concat(
                        trace.destroyed.stream().filter(d -> d.column() == null).map(Destroyed::table),
                        trace.renamed.stream().filter(r -> r.column() == null).map(Renamed::table))
                .filter(table -> trace.locks.stream().noneMatch(l -> l.table().equals(table)))
                .forEach(table -> trace.locks.add(new HeldLock(table, mode))));
        // Only an INSTANT change leaves the rows unread; every other algorithm reads the table, copying or indexing it.
        algorithm.filter(a -> !a.algorithm().equals("INSTANT") && !trace.scans.contains(a.table()))
                .ifPresent(a -> trace.scans.add(a.table()));
        // Without a function whose results are kept before, the statement can't have redefined one.
        if (!functionsBefore.isEmpty()) {
            // The same function with another body: what keeps its results holds the older body's.
            StoredResults stored = storedResults.orElseThrow();
            for (Map.Entry<Long, String> function : stored.functions(real).entrySet()) {
                String was = functionsBefore.get(function.getKey());
                if (was != null && !was.equals(function.getValue())) {
                    trace.kept.addAll(stored.of(real, function.getKey()));
                }
            }
            if (!trace.kept.isEmpty()) {
                unsettled.add(trace);
            }
        }
        return result;
    }

    /**
     * The migration ended: of the function results its statements left computed by an older body, those the rest of
     * the migration did not compute again are stale. Read on a session of its own, as the migration committed.
     */
    void settle() {
        if (unsettled.isEmpty()) {
            return;
        }
        StoredResults stored = storedResults.orElseThrow();
        try (Connection session = shadow.connect(Purpose.CATALOG)) {
            for (Trace trace : unsettled) {
                for (StoredResult kept : trace.kept) {
                    stored.stale(session, kept).ifPresent(trace.stale::add);
                }
            }
        } catch (SQLException unreadable) {
            // Not known to be rebuilt: each is said to be stale, without the rows that differ.
            for (Trace trace : unsettled) {
                trace.stale.clear();
                trace.kept.forEach(kept -> trace.stale.add(new Stale(kept.function(), kept.kind().text(), kept.table(),
                        kept.name(), null, stored.rebuild(kept))));
            }
        }
        unsettled.clear();
    }

    /**
     * What the statement did to the tables that existed before the migration: rewrote, scanned, renamed, dropped or
     * narrowed; the tables it renamed keep counting under their new names, the ones it dropped no longer count.
     */
    private void compare(TableSnapshot before, TableSnapshot after, Trace trace) {
        Map<Long, String> afterById = new HashMap<>();
        after.tables().forEach((table, state) -> afterById.put(state.id(), table));
        Set<String> existing = new HashSet<>();
        for (String table : preExisting) {
            TableState was = before.tables().get(table);
            if (was == null) {
                existing.add(table);
                continue;
            }
            // The same table, whatever its name now; or, where a copy gave it a new id (MySQL), the same name.
            String name = afterById.getOrDefault(was.id(), after.tables().containsKey(table) ? table : null);
            if (name == null) {
                trace.destroyed.add(new Destroyed(table, null, null, null));
                continue;
            }
            existing.add(name);
            TableState now = after.tables().get(name);
            if (!name.equals(table)) {
                trace.renamed.add(new Renamed(table, null, name));
            }
            was.columns().forEach((column, state) -> {
                ColumnState is = now.columns().get(column);
                String renamedTo = null;
                if (is == null) {
                    // A name it didn't have, at the same place: the column renamed.
                    renamedTo = now.columns().entrySet().stream().filter(c -> c.getValue().id() == state.id()
                            && !was.columns().containsKey(c.getKey())).map(Map.Entry::getKey).findFirst().orElse(null);
                    is = renamedTo == null ? null : now.columns().get(renamedTo);
                }
                if (is == null) {
                    trace.destroyed.add(new Destroyed(table, column, null, null));
                    return;
                }
                if (renamedTo != null) {
                    trace.renamed.add(new Renamed(table, column, renamedTo));
                }
                if (dialect.narrows(state.type(), is.type())) {
                    trace.destroyed.add(new Destroyed(table, column, state.type(), is.type()));
                }
            });
            if (was.storage() != now.storage()) {
                trace.rewrites.add(table);
            }
            if (now.seqScans() > was.seqScans()) {
                trace.scans.add(table);
            }
        }
        preExisting = existing;
    }

    /** The connection committed or rolled back: the locks its statements took are released now. */
    @Override
    public void transactionEnded(Connection connection) {
        if (connection == lockHolder || connection == migration || connection == null) {
            endTransaction(System.nanoTime());
        }
    }

    private void endTransaction(long nanos) {
        holdingLocks.forEach(t -> t.lockEndNanos = nanos);
        holdingLocks.clear();
        transaction++;
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
        /** By the table's name before the statement. */
        final Set<HeldLock> locks = new HashSet<>();
        final List<String> rewrites = new ArrayList<>();
        final List<String> scans = new ArrayList<>();
        final List<Destroyed> destroyed = new ArrayList<>();
        final List<Renamed> renamed = new ArrayList<>();
        /** What keeps the results of a function the statement redefined; {@link #stale} once the migration ended. */
        final List<StoredResult> kept = new ArrayList<>();
        final List<Stale> stale = new ArrayList<>();
        long endNanos;
        long lockEndNanos;
        int transaction;
        Long lockTimeoutMs;
        String algorithm;
        boolean committed;
        String error;

        Trace(int index, String sql, long startNanos) {
            this.index = index;
            this.sql = sql;
            this.startNanos = startNanos;
        }

        /** How long its own locks were held, from its start to the end of its transaction (or now, still open). */
        long heldMs() {
            long lockEnd = lockEndNanos == 0 ? System.nanoTime() : lockEndNanos;
            return (lockEnd - startNanos) / 1_000_000;
        }

        /**
         * What it did, its locks those it took and those the earlier statements of its transaction took, all held
         * while it ran.
         *
         * @param earlier the statements of its migration before it, in order
         */
        StatementResult result(Integer line, List<Trace> earlier) {
            List<Lock> held = new ArrayList<>();
            for (Trace taker : earlier) {
                if (taker.transaction == transaction && !taker.committed) {
                    taker.locks.forEach(l -> held.add(taker.lock(l)));
                }
            }
            locks.forEach(l -> held.add(lock(l)));
            held.sort(Comparator.comparing(Lock::table).thenComparing(Lock::mode));
            List<Destroyed> lost = destroyed.stream().sorted(Comparator.comparing(Destroyed::table)
                    .thenComparing(d -> d.column() == null ? "" : d.column())).toList();
            return new StatementResult(index, line, sql, (endNanos - startNanos) / 1_000_000, held,
                    rewrites.stream().sorted().toList(), scans.stream().sorted().toList(), lost, 0, null,
                    lockTimeoutMs, committed, error, algorithm, List.copyOf(renamed), List.copyOf(stale));
        }

        private Lock lock(HeldLock lock) {
            return new Lock(lock.table(), lock.mode(), dialect.blocks(lock.mode()).stream().sorted().toList(), heldMs(),
                    index);
        }
    }
}
