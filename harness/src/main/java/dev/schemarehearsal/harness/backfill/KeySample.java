package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.backfill.KeysetWalk.Step;
import dev.schemarehearsal.harness.backfill.KeysetWalk.Walk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A backfill's batches sampled uniformly across its key's range within a time box, for a table too large to walk in
 * a rehearsal: the batch at the lowest key, the one at the highest, then one at the middle of the largest stretch of
 * keys not yet done, and so on, halving the gaps, until the time ends or no key is left. Nothing walks the table
 * first: each batch's bounds come from the key's index, as in {@link KeysetWalk}, and the keys there are in all are
 * estimated from how densely the sampled stretches held them. Each batch commits.
 */
final class KeySample {
    /** 97.5th percentile of the normal distribution: a 95 % interval. */
    private static final double Z = 1.96;

    /**
     * What the sample did and what it says of the whole.
     *
     * @param walk           the batches sampled, in the order they ran
     * @param keysEstimated  the keys of the whole range: those done plus the estimate of those left
     * @param wholeMs        the whole backfill's duration, extrapolated: the sampled batches' time per key over every key
     * @param lowMs          the low end of its 95 % interval (the time per key's), never below the time spent
     * @param highMs         its high end
     * @param covered        whether every key was done: the figures are then measured, not extrapolated
     */
    record Sampled(Walk walk, long keysEstimated, long wholeMs, long lowMs, long highMs, boolean covered) { }

    private KeySample() {
    }

    /** Keys above {@code from} up to {@code to}, not yet done. */
    private record Gap(long from, long to) {
        long width() {
            return to - from;
        }
    }

    static Sampled sample(Connection connection, Backfill backfill, int size, long budgetNanos,
                          KeysetWalk.Progress progress) throws SQLException {
        String key = backfill.key();
        String table = backfill.table();
        long start = System.nanoTime();
        Long lowest = KeysetWalk.single(connection, "SELECT min(" + key + ") FROM " + table);
        Long highest = KeysetWalk.single(connection, "SELECT max(" + key + ") FROM " + table);
        List<Step> steps = new ArrayList<>();
        if (lowest == null) {
            return new Sampled(new Walk(steps, 0, 0, System.nanoTime() - start, null, 0), 0, 0, 0, 0, true);
        }
        PriorityQueue<Gap> gaps = new PriorityQueue<>(Comparator.comparingLong(Gap::width).reversed()
                .thenComparingLong(Gap::from));
        long keys = 0;
        long rows = 0;
        long span = 0;
        String error = null;
        try (PreparedStatement bound = connection.prepareStatement("SELECT max(" + key + "), count(*) FROM (SELECT "
                + key + " FROM " + table + " WHERE " + key + " > ? AND " + key + " <= ? ORDER BY " + key + " LIMIT "
                + size + ") batch");
             PreparedStatement top = connection.prepareStatement("SELECT min(" + key + ") FROM (SELECT " + key
                     + " FROM " + table + " ORDER BY " + key + " DESC LIMIT " + size + ") batch")) {
            // The first batch at the lowest key, the second ending at the highest, then the gaps halved.
            Gap all = new Gap(lowest - 1, highest);
            Gap next = all;
            boolean last = false;
            while (next != null && (steps.isEmpty() || System.nanoTime() - start < budgetNanos)) {
                long from = next.from();
                if (last) {
                    Long topStart;
                    try (ResultSet rs = top.executeQuery()) {
                        rs.next();
                        topStart = rs.getLong(1);
                    }
                    from = Math.max(next.from(), topStart - 1);
                    if (from > next.from()) {
                        gaps.add(new Gap(next.from(), from));
                    }
                } else if (!steps.isEmpty()) {
                    from = next.from() + next.width() / 2;
                    if (from > next.from()) {
                        gaps.add(new Gap(next.from(), from));
                    }
                }
                bound.setLong(1, from);
                bound.setLong(2, next.to());
                long to;
                long count;
                try (ResultSet rs = bound.executeQuery()) {
                    rs.next();
                    to = rs.getLong(1);
                    count = rs.getLong(2);
                }
                connection.commit();
                if (count == 0) {
                    // No key above it in this gap: the stretch is done, empty.
                    span += next.to() - from;
                } else {
                    long batchStart = System.nanoTime();
                    long changed;
                    try {
                        changed = backfill.run(connection, from, to);
                        connection.commit();
                    } catch (SQLException e) {
                        connection.rollback();
                        error = e.getMessage();
                        break;
                    }
                    steps.add(new Step(steps.size() + 1, from, to, count, changed, batchStart, System.nanoTime()));
                    keys += count;
                    rows += changed;
                    span += to - from;
                    if (to < next.to()) {
                        gaps.add(new Gap(to, next.to()));
                    }
                    progress.batchDone(steps.size(), keys, rows, System.nanoTime() - start);
                }
                last = steps.size() == 1 && next == all;
                next = gaps.poll();
            }
            if (next != null && error == null) {
                // The time ended before this gap's batch.
                gaps.add(next);
            }
        }
        long left = gaps.stream().mapToLong(Gap::width).sum();
        boolean covered = left == 0 && error == null;
        double density = span == 0 ? 0 : (double) keys / span;
        long keysLeft = Math.round(density * left);
        long spentNanos = steps.stream().mapToLong(s -> s.endNanos() - s.startNanos()).sum();
        double perKey = keys == 0 ? 0 : (double) spentNanos / keys;
        double error95 = Z * standardError(steps, perKey);
        long spentMs = spentNanos / 1_000_000;
        long whole = spentMs + Math.round(keysLeft * perKey / 1e6);
        long low = spentMs + Math.round(keysLeft * Math.max(0, perKey - error95) / 1e6);
        long high = spentMs + Math.round(keysLeft * (perKey + error95) / 1e6);
        Walk walk = new Walk(steps, keys, rows, System.nanoTime() - start, error, error == null ? 0 : keysLeft);
        return new Sampled(walk, keys + keysLeft, whole, low, high, covered);
    }

    /**
     * The standard error of the time per key as a ratio estimate over the batches (their times over their keys), in
     * nanoseconds; 0 for fewer than two batches.
     */
    static double standardError(List<Step> steps, double perKey) {
        int n = steps.size();
        if (n < 2) {
            return 0;
        }
        double meanKeys = steps.stream().mapToLong(Step::keys).average().orElse(1);
        double sum = 0;
        for (Step step : steps) {
            double residual = (step.endNanos() - step.startNanos()) - perKey * step.keys();
            sum += residual * residual;
        }
        return Math.sqrt(sum / (n * (double) (n - 1))) / meanKeys;
    }
}
