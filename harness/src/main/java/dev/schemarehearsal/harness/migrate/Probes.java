package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The probe workload: while the migrations run, a few sessions of their own read one row and rewrite one row of
 * the tables the migrations touch, at a steady rate, as production's traffic would. A probe that waits for a
 * migration's lock shows as a long latency; a statement's stall is the longest latency among the probes that
 * overlapped it.
 */
public final class Probes {
    static final int READERS = 2;
    static final int WRITERS = 1;
    private static final long INTERVAL_MS = 10;

    /** One probe: when it started and how long it took, in {@link System#nanoTime()} units; a write or a read. */
    public record Probe(long startNanos, long latencyNanos, boolean write) { }

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

    private final List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private Probes() {
    }

    /** What to probe on each table: reads of any row, writes of a row that exists. Empty tables are only read. */
    static List<Target> targets(Dialect dialect, Connection connection, List<String> tables) throws SQLException {
        List<Target> targets = new ArrayList<>();
        for (String table : tables) {
            TableName name = dialect.tableName(connection, table);
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

    /** No workload. */
    static Probes none() {
        return new Probes();
    }

    /** Starts the readers and writers, each on its own session. */
    static Probes start(List<Target> targets, String url, String user, String password) throws SQLException {
        Probes workload = none();
        List<Target> writable = targets.stream().filter(t -> t.write != null).toList();
        for (int i = 0; i < READERS + WRITERS && !targets.isEmpty(); i++) {
            boolean writer = i >= READERS;
            if (writer && writable.isEmpty()) {
                break;
            }
            Connection session = DriverManager.getConnection(url, user, password);
            Thread thread = new Thread(() -> workload.run(session, writer ? writable : targets, writer),
                    "schema-rehearsal-probe-" + i);
            thread.setDaemon(true);
            workload.threads.add(thread);
            thread.start();
        }
        return workload;
    }

    private void run(Connection session, List<Target> targets, boolean writer) {
        try (session) {
            for (int i = 0; running; i++) {
                Target target = targets.get(i % targets.size());
                long start = System.nanoTime();
                try (PreparedStatement probe = session.prepareStatement(writer ? target.write : target.read)) {
                    if (writer) {
                        probe.setObject(1, target.nextKey());
                    }
                    probe.execute();
                } catch (SQLException e) {
                    // A migration may drop or change the table: the wait until the error still counts.
                }
                long latency = System.nanoTime() - start;
                probes.add(new Probe(start, latency, writer));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS) - latency));
            }
        } catch (SQLException | InterruptedException e) {
            // The session closed: the workload ends.
        }
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

    /** The probes it ran so far. */
    public List<Probe> ran() {
        synchronized (probes) {
            return List.copyOf(probes);
        }
    }

    /** The longest latency among the probes that overlapped the interval, in milliseconds. */
    public static long stallMs(List<Probe> probes, long startNanos, long endNanos) {
        return probes.stream()
                .filter(p -> p.startNanos <= endNanos && p.startNanos + p.latencyNanos >= startNanos)
                .mapToLong(Probe::latencyNanos).max().orElse(0) / 1_000_000;
    }
}
