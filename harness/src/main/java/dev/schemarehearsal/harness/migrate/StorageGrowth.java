package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.SizeChange;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Storage;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage each migration added or freed, per table and index: measured on a session of its own, outside the
 * migrations' transactions (reading a size takes a lock a migration's session would hold to its end), when a migration
 * starts and once it committed, before a backfill runs after it. Changes smaller than 1 % of the size and 64 KiB are
 * left out: the probe workload's own writes leave a page here and there.
 */
final class StorageGrowth implements AutoCloseable {
    private static final long SMALLEST = 64 * 1024;

    private final Dialect dialect;
    private final MigrationSource source;
    private final RehearsalListener listener;
    private final Connection session;
    private final Map<String, List<SizeChange>> changes = new HashMap<>();
    private Map<List<String>, Long> before;
    private String waiting;
    private boolean failed;

    StorageGrowth(ShadowDatabase shadow, MigrationSource source, RehearsalListener listener) {
        this.dialect = shadow.dialect();
        this.source = source;
        this.listener = listener;
        Connection connection = null;
        try {
            connection = shadow.connect(Purpose.CATALOG);
        } catch (SQLException e) {
            unmeasured(e);
        }
        this.session = connection;
    }

    /** The migration starts: the sizes now are its before, and the after of one still waiting for it. */
    void starting(String script) {
        Map<List<String>, Long> now = measure();
        if (waiting != null) {
            changes.put(waiting, difference(before, now));
        }
        before = now;
        waiting = script;
    }

    /** The migrations so far committed: the one waiting for its after gets it now. */
    void settle() {
        if (waiting != null) {
            changes.put(waiting, difference(before, measure()));
            waiting = null;
        }
    }

    /** What the migration changed, empty when nothing noticeable or when not measured. */
    List<SizeChange> of(String script) {
        return changes.getOrDefault(script, List.of());
    }

    private Map<List<String>, Long> measure() {
        Map<List<String>, Long> sizes = new LinkedHashMap<>();
        if (session == null || failed) {
            return sizes;
        }
        try {
            for (Storage storage : dialect.storage(session)) {
                if (!source.ownTable(storage.table())) {
                    sizes.put(Arrays.asList(storage.table(), storage.index()), storage.bytes());
                }
            }
        } catch (SQLException e) {
            unmeasured(e);
        }
        return sizes;
    }

    private List<SizeChange> difference(Map<List<String>, Long> before, Map<List<String>, Long> after) {
        if (failed) {
            return List.of();
        }
        Map<List<String>, long[]> both = new LinkedHashMap<>();
        before.forEach((key, bytes) -> both.put(key, new long[] {bytes, 0, 1, 0}));
        after.forEach((key, bytes) -> {
            long[] sizes = both.computeIfAbsent(key, k -> new long[] {0, 0, 0, 0});
            sizes[1] = bytes;
            sizes[3] = 1;
        });
        List<SizeChange> changed = new ArrayList<>();
        both.forEach((key, sizes) -> {
            long delta = Math.abs(sizes[1] - sizes[0]);
            boolean appeared = sizes[2] == 0 || sizes[3] == 0;
            if (appeared ? delta > 0 : delta >= Math.max(SMALLEST, sizes[0] / 100)) {
                changed.add(new SizeChange(key.get(0), key.get(1), sizes[0], sizes[1]));
            }
        });
        changed.sort(Comparator.comparing(SizeChange::table).thenComparing(SizeChange::index,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        return changed;
    }

    private void unmeasured(SQLException e) {
        if (!failed) {
            failed = true;
            listener.warn("Storage growth not measured: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // Only sizes were read on it.
            }
        }
    }
}
