package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.api.RehearsalResult.TablePadding;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.PageStorage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Pads loaded tables with empty pages up to production's page count. PostgreSQL's planner costs a table by its real
 * size in pages: on a sample's few pages full scans and repeated index probes look cheap, and plans differ from
 * production's. Copies of the sample's rows (made as scale-up makes them, so every constraint holds) are inserted
 * in a transaction that is rolled back, then VACUUM empties the pages they took without returning them: the table
 * holds the sample's rows on production's pages, its indexes grown alike. {@link #remove} returns the empty pages,
 * so that the migrations are measured on the sample's own size. The padding written is capped by
 * {@code maxPaddingMb}: past it every table is padded to the same share of its production size.
 */
public final class StoragePadding {
    private static final long PAGES_PER_MB = 1024 * 1024 / 8192;
    private static final RehearsalListener QUIET = event -> { };

    private final Dialect dialect;
    private final Optional<PageStorage> storage;
    private final RehearsalListener listener;
    private final long maxPaddingMb;

    private record Size(long pages, long rows) { }

    public StoragePadding(Dialect dialect, RehearsalListener listener, long maxPaddingMb) {
        this.dialect = dialect;
        this.storage = dialect.storagePadding();
        this.listener = listener;
        this.maxPaddingMb = maxPaddingMb;
    }

    /**
     * Pads the tables, parents first, towards their target pages.
     *
     * @param targets pages each table should have, in the order to pad them (parents before children)
     * @param label   the log's name for the targets, e.g. "production's page counts"
     * @return the tables padded, none when the engine has no such padding or none needed it; empty when padding
     *         failed or is turned off (the log says which)
     */
    public Optional<List<TablePadding>> pad(Connection connection, Map<TableName, Long> targets, String label) throws SQLException {
        if (storage.isEmpty()) {
            return Optional.of(List.of());
        }
        PageStorage pages = storage.get();
        // The tables short of their target that have rows to copy, with their pages and rows now.
        Map<TableName, Size> toPad = new LinkedHashMap<>();
        long missing = 0;
        for (Map.Entry<TableName, Long> target : targets.entrySet()) {
            long now = pages.pages(connection, target.getKey());
            if (now < target.getValue()) {
                long count = count(connection, target.getKey());
                if (count > 0) {
                    toPad.put(target.getKey(), new Size(now, count));
                    missing += target.getValue() - now;
                }
            }
        }
        if (toPad.isEmpty()) {
            return Optional.of(List.of());
        }
        if (maxPaddingMb == 0) {
            listener.info("Storage not padded to " + label + " (maxPaddingMb is 0): plans that turn on page costs may "
                    + "differ from production's");
            return Optional.empty();
        }
        double share = Math.min(1, (double) maxPaddingMb * PAGES_PER_MB / missing);
        List<CsvLoader.Loaded> tables = new ArrayList<>();
        Map<TableName, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<TableName, Size> table : toPad.entrySet()) {
            TableName name = table.getKey();
            long extraPages = Math.round(share * (targets.get(name) - table.getValue().pages()));
            String written = name.schema() == null ? name.name() : name.schema() + "." + name.name();
            tables.add(new CsvLoader.Loaded(name, new TableLoad(written, "", table.getValue().rows(), 0)));
            rows.put(name, table.getValue().rows() + extraPages * pages.rowsPerPage(connection, name));
        }
        long start = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            pages.skipTriggers(connection);
            for (CsvLoader.Loaded table : tables) {
                pages.storeCopiesUncompressed(connection, table.table());
            }
            new ScaleUp(dialect, QUIET).scale(connection, tables, rows);
        } catch (RehearsalException | SQLException e) {
            listener.warn("Storage not padded to " + label + ", plans that turn on page costs may differ from "
                    + "production's: " + e.getMessage().strip());
            return Optional.empty();
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        List<TablePadding> padded = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (CsvLoader.Loaded table : tables) {
            pages.vacuum(connection, table.table(), true);
            long before = toPad.get(table.table()).pages();
            long after = pages.pages(connection, table.table());
            padded.add(new TablePadding(table.load().table(), before, after, targets.get(table.table())));
            lines.add(String.format(Locale.ROOT, "%s %,d → %,d pages (target %,d)", table.load().table(), before, after,
                    targets.get(table.table())));
        }
        listener.info(String.format(Locale.ROOT, "Storage padded with empty pages towards %s%s, in %s: %s",
                label, share < 1 ? String.format(Locale.ROOT, ", %.0f %% of the way (maxPaddingMb %,d)", share * 100,
                        maxPaddingMb) : "", human((System.nanoTime() - start) / 1_000_000), String.join(", ", lines)));
        return Optional.of(padded);
    }

    /** Returns the padding's empty pages: the tables are the sample's size again. */
    void remove(Connection connection, List<TableName> tables) throws SQLException {
        for (TableName table : tables) {
            storage.orElseThrow().vacuum(connection, table, false);
        }
    }

    /** The table's pages now, where the engine's tables can be padded. */
    OptionalLong pages(Connection connection, TableName table) throws SQLException {
        return storage.isEmpty() ? OptionalLong.empty() : OptionalLong.of(storage.get().pages(connection, table));
    }

    private long count(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.sql(dialect))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
