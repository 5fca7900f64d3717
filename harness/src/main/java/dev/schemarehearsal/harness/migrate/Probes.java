package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.LockWaits;
import dev.schemarehearsal.harness.dialect.SqlText;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The probe workload: while the migrations run, a few sessions of their own run the project's queries that name the
 * tables the migrations touch (each as often as its {@code -- weight:} says), read one row and rewrite one row of those
 * tables, at a steady rate, as production's traffic would. A probe that waits for a migration's lock shows as a long
 * latency; a statement's stall is the longest latency among the probes that overlapped it.
 */
public final class Probes {
    static final int READERS = 2;
    static final int WRITERS = 1;
    private static final long INTERVAL_MS = 10;

    /** Runs of a query timed before the migrations, the median its usual duration. */
    static final int USUAL_RUNS = 3;
    /** Rows a query's probe reads from the server at a time, so a large result never has to fit in memory. */
    private static final int FETCH_SIZE = 500;

    /**
     * One probe: when it started and how long it took, in {@link System#nanoTime()} units; a write or a read. A
     * query's probe counts only the time beyond its usual duration: a query slow on its own is no stall.
     *
     * @param session  the id of the session it ran on, as the engine's lock views know it; 0 when not known
     * @param endNanos when it ended
     * @param sql      what it ran
     */
    public record Probe(long startNanos, long latencyNanos, boolean write, long session, long endNanos, String sql) {
        /** A probe of no known session. */
        public Probe(long startNanos, long latencyNanos, boolean write) {
            this(startNanos, latencyNanos, write, 0, startNanos + latencyNanos, null);
        }
    }

    /** A probe's session seen waiting for a lock, at a moment in {@link System#nanoTime()} units. */
    record Waited(long atNanos, LockWaits.Wait lock) { }

    /** How often the watcher asks what the probes wait for: often enough for stalls of {@code maxStallMs}. */
    private static final long WATCH_MS = 20;

    /**
     * A read the readers run: a query of {@code queries.sql} or a table's one-row read.
     *
     * @param usualNanos its median duration before the migrations, taken off each probe's latency
     */
    record Read(String name, String sql, long usualNanos) { }

    /**
     * A table to probe: a read, and a write of one row to itself where it has a single-column key.
     *
     * @param key     the lowest key
     * @param highest the highest key
     */
    record Target(String read, String write, Object key, Object highest) {
        /**
         * The key to write next: for an integer key a random one from the lowest to the highest, so that the writes
         * meet the rows a long transaction (a backfill's batch) holds wherever they lie; else the lowest.
         */
        Object nextKey() {
            boolean integers = (key instanceof Integer || key instanceof Long)
                    && (highest instanceof Integer || highest instanceof Long);
            return integers ? ThreadLocalRandom.current().nextLong(((Number) key).longValue(),
                    ((Number) highest).longValue() + 1) : key;
        }
    }

    /** How often a probe failed, and the engine's words the first time. */
    record Failures(long count, String first) {
        Failures plus(Failures more) {
            return new Failures(count + more.count, first);
        }
    }

    private final List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
    private final List<Waited> waits = Collections.synchronizedList(new ArrayList<>());
    /** Whether {@link #waits} says what the probes waited for: the engine tells, and the watcher ran. */
    private volatile boolean watched;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Probes() {
    }

    /** What to probe on each table: reads of any row, writes of a row that exists. Empty tables are only read. */
    static List<Target> targets(Dialect dialect, Connection connection, List<String> tables) throws SQLException {
        List<Target> targets = new ArrayList<>();
        List<TableName> inSchema = dialect.tables(connection);
        for (String table : tables) {
            // The catalog's own spelling where the table is in the session's schema: read as a user writes a name
            // (folded to lower case, a schema before the first dot), "Order Items" or "v1.2" would name no table.
            TableName name = inSchema.stream().filter(t -> t.name().equals(table)).findFirst().orElse(null);
            if (name == null) {
                name = dialect.tableName(connection, table);
            }
            String sql = name.sql(dialect);
            String key;
            try (ResultSet rs = connection.getMetaData().getPrimaryKeys(name.catalog(), name.schema(), name.name())) {
                String first = rs.next() ? rs.getString("COLUMN_NAME") : null;
                key = first == null || rs.next() ? null : dialect.quote(first);
            }
            Object lowest = null;
            Object highest = null;
            if (key != null) {
                try (PreparedStatement range = connection.prepareStatement("SELECT min(" + key + "), max(" + key + ") FROM " + sql);
                     ResultSet rs = range.executeQuery()) {
                    if (rs.next()) {
                        lowest = rs.getObject(1);
                        highest = rs.getObject(2);
                    }
                }
            }
            String write = lowest == null ? null : "UPDATE " + sql + " SET " + key + " = " + key + " WHERE " + key + " = ?";
            targets.add(new Target("SELECT * FROM " + sql + " LIMIT 1", write, lowest, highest));
        }
        return targets;
    }

    /** The queries that name one of the tables (schema-qualified or not), in their file's order. */
    static List<Query> touching(List<Query> queries, List<String> tables) {
        return queries.stream().filter(q -> tables.stream().anyMatch(t -> names(q.sql(), t))).toList();
    }

    /**
     * Whether the text names the table, with its schema or without: {@code orders} or {@code audit.log} as the
     * snapshot lists tables (schema-qualified outside the session's schema; a name may hold a dot itself).
     */
    static boolean names(String text, String table) {
        int dot = table.indexOf('.');
        return SqlText.names(text, table) || dot > 0 && SqlText.names(text, table.substring(dot + 1));
    }

    /**
     * The readers' round: each table's one-row read once and each query as many times as its weight, spread out:
     * pass {@code n} takes every read whose weight exceeds {@code n}, so a heavy query recurs through the round
     * rather than running in one burst.
     */
    static List<Read> round(List<Target> targets, List<Query> queries, Map<String, Long> usualNanos) {
        List<Read> reads = new ArrayList<>();
        targets.forEach(t -> reads.add(new Read(t.read, t.read, 0)));
        int heaviest = queries.stream().mapToInt(Query::weight).max().orElse(1);
        for (int pass = 0; pass < heaviest; pass++) {
            for (Query query : queries) {
                if (query.weight() > pass) {
                    reads.add(new Read(query.name(), query.sql(), usualNanos.getOrDefault(query.name(), 0L)));
                }
            }
        }
        return reads;
    }

    /**
     * Each query's median duration over {@link #USUAL_RUNS} runs, rolled back, before the migrations; a query that
     * fails already is left out, with the reason.
     */
    static Map<String, Long> usualNanos(Connection connection, List<Query> queries, Map<String, String> failing)
            throws SQLException {
        Map<String, Long> usual = new TreeMap<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (Query query : queries) {
                long[] runs = new long[USUAL_RUNS];
                try {
                    for (int i = 0; i < USUAL_RUNS; i++) {
                        runs[i] = runToEnd(connection, query.sql());
                    }
                    Arrays.sort(runs);
                    usual.put(query.name(), runs[USUAL_RUNS / 2]);
                } catch (SQLException e) {
                    connection.rollback();
                    failing.put(query.name(), e.getMessage());
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return usual;
    }

    /** Runs a read to its last row and rolls it back (a query may write); returns how long it took. */
    private static long runToEnd(Connection session, String sql) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            statement.setFetchSize(FETCH_SIZE);
            if (statement.execute()) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        // Read every row, as the application would.
                    }
                }
            }
            return System.nanoTime() - start;
        } finally {
            session.rollback();
        }
    }

    /** No workload. */
    static Probes none() {
        return new Probes();
    }

    /** Starts the readers on the round of reads and the writers on the tables with a key, each on its own session. */
    static Probes start(List<Read> reads, List<Target> targets, ShadowDatabase shadow) throws SQLException {
        Probes workload = none();
        List<Target> writable = targets.stream().filter(t -> t.write != null).toList();
        Optional<LockWaits> lockWaits = shadow.dialect().lockWaits();
        List<Long> sessions = new ArrayList<>();
        for (int i = 0; i < READERS + WRITERS; i++) {
            boolean writer = i >= READERS;
            if (writer ? writable.isEmpty() : reads.isEmpty()) {
                continue;
            }
            Connection session = shadow.connect(Purpose.PROBE);
            long id = lockWaits.isPresent() ? lockWaits.get().session(session) : 0;
            sessions.add(id);
            // Each reader starts at its own place in the round, so they rarely run the same query at once.
            int first = i * reads.size() / READERS;
            Runnable probing = writer ? () -> workload.writing(session, id, writable)
                    : () -> workload.reading(session, id, reads, first);
            Thread thread = new Thread(probing, "schema-rehearsal-probe-" + i);
            thread.setDaemon(true);
            workload.threads.add(thread);
            thread.start();
        }
        if (lockWaits.isPresent() && !sessions.isEmpty()) {
            Connection observer = shadow.connect(Purpose.OBSERVER);
            workload.watched = true;
            Thread thread = new Thread(() -> workload.watching(observer, lockWaits.get(), sessions),
                    "schema-rehearsal-probe-watcher");
            thread.setDaemon(true);
            workload.threads.add(thread);
            thread.start();
        }
        return workload;
    }

    /** Asks, every {@link #WATCH_MS}, which probe sessions wait for a lock and who holds them up. */
    private void watching(Connection observer, LockWaits lockWaits, List<Long> sessions) {
        try (observer) {
            while (running) {
                long at = System.nanoTime();
                for (LockWaits.Wait wait : lockWaits.waiting(observer, sessions)) {
                    waits.add(new Waited(at, wait));
                }
                TimeUnit.NANOSECONDS.sleep(Math.max(0, TimeUnit.MILLISECONDS.toNanos(WATCH_MS) - (System.nanoTime() - at)));
            }
        } catch (SQLException e) {
            // The engine stopped answering: what the probes waited for from now on is not known.
            watched = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reading(Connection session, long id, List<Read> reads, int first) {
        try (session) {
            session.setAutoCommit(false);
            for (int i = first; running; i++) {
                Read read = reads.get(i % reads.size());
                long start = System.nanoTime();
                long latency;
                try {
                    latency = Math.max(0, runToEnd(session, read.sql()) - read.usualNanos());
                } catch (SQLException e) {
                    // A migration may drop or rename what it reads: count it, the wait until the error still counts.
                    failed(read.name(), e);
                    latency = System.nanoTime() - start;
                }
                pause(start, latency, false, id, read.sql());
            }
        } catch (SQLException | InterruptedException e) {
            // The session closed: the workload ends.
        }
    }

    private void writing(Connection session, long id, List<Target> targets) {
        try (session) {
            for (int i = 0; running; i++) {
                Target target = targets.get(i % targets.size());
                long start = System.nanoTime();
                try (PreparedStatement probe = session.prepareStatement(target.write)) {
                    probe.setObject(1, target.nextKey());
                    probe.execute();
                } catch (SQLException e) {
                    // A migration may drop or change the table: the wait until the error still counts.
                    failed(target.write, e);
                }
                pause(start, System.nanoTime() - start, true, id, target.write);
            }
        } catch (SQLException | InterruptedException e) {
            // The session closed: the workload ends.
        }
    }

    private void failed(String probe, SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
        failures.merge(probe, new Failures(1, message), Failures::plus);
    }

    /** Records the probe and waits out the rest of its interval, keeping the rate steady. */
    private void pause(long start, long latency, boolean write, long session, String sql) throws InterruptedException {
        probes.add(new Probe(start, latency, write, session, System.nanoTime(), sql));
        TimeUnit.NANOSECONDS.sleep(Math.max(0, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS) - (System.nanoTime() - start)));
    }

    /** Stops the workload once each probe in flight has finished. */
    void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The probes that failed so far, by query name, one-row read or write. */
    Map<String, Failures> failures() {
        return new TreeMap<>(failures);
    }

    /** The probes it ran so far. */
    public List<Probe> ran() {
        synchronized (probes) {
            return List.copyOf(probes);
        }
    }

    /**
     * What the probes' sessions were seen waiting for, or empty when the engine doesn't tell or the watcher stopped:
     * then a probe's wait is put down to what ran meanwhile.
     */
    Optional<List<Waited>> waits() {
        if (!watched) {
            return Optional.empty();
        }
        synchronized (waits) {
            return Optional.of(List.copyOf(waits));
        }
    }

    /** The longest latency among the probes that overlapped the interval, in milliseconds. */
    public static long stallMs(List<Probe> probes, long startNanos, long endNanos) {
        return probes.stream()
                .filter(p -> p.startNanos <= endNanos && p.startNanos + p.latencyNanos >= startNanos)
                .mapToLong(Probe::latencyNanos).max().orElse(0) / 1_000_000;
    }
}
