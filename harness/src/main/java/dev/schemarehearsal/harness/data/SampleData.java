package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.api.RehearsalResult.TablePadding;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.RehearsalResult.TableScale;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The load stage: the CSV sample in, scaled up if asked, analyzed, padded to production's page counts where the
 * statistics give them ({@link StoragePadding}), then production's statistics on top (last, so that ANALYZE doesn't
 * overwrite them).
 */
public final class SampleData {
    private final Dialect dialect;
    private final RehearsalConfig config;
    private final RehearsalListener listener;
    private final StoragePadding padding;

    public SampleData(Dialect dialect, RehearsalConfig config, RehearsalListener listener) {
        this.dialect = dialect;
        this.config = config;
        this.listener = listener;
        this.padding = new StoragePadding(dialect, listener, config.plans().maxPaddingMb());
    }

    /**
     * @param snapshot production's statistics, read before the shadow started, or {@code null}
     */
    public Data load(Connection connection, StatisticsSnapshot snapshot) throws SQLException {
        List<CsvLoader.Loaded> loaded = new CsvLoader(dialect, listener, config.data().encoding(), config.data().nullMarker())
                .load(connection, config.data().directory());
        List<TableScale> scaled = config.data().scale() == null ? List.of()
                : new ScaleUp(dialect, listener).scale(connection, loaded, config.data().scale());
        for (CsvLoader.Loaded table : loaded) {
            dialect.analyze(connection, table.table());
        }
        // The padding serves the queries' plans only.
        List<TablePadding> padded = snapshot == null || config.plans().queries() == null ? List.of()
                : padding.pad(connection, productionPages(connection, loaded, snapshot), "production's page counts")
                .orElse(List.of());
        Statistics statistics = snapshot == null ? null : apply(connection, snapshot);
        return new Data(loaded.stream().map(CsvLoader.Loaded::load).toList(), scaled, statistics, padded);
    }

    /** The loaded tables that production's statistics give pages for, with those pages, in load order. */
    private Map<TableName, Long> productionPages(Connection connection, List<CsvLoader.Loaded> loaded,
                                                 StatisticsSnapshot snapshot) throws SQLException {
        Map<TableName, Long> pages = new LinkedHashMap<>();
        for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
            if (entry.getValue().pages() != null) {
                pages.put(dialect.tableName(connection, entry.getKey()), entry.getValue().pages());
            }
        }
        Map<TableName, Long> ordered = new LinkedHashMap<>();
        for (CsvLoader.Loaded table : loaded) {
            if (pages.containsKey(table.table())) {
                ordered.put(table.table(), pages.get(table.table()));
            }
        }
        return ordered;
    }

    /**
     * Returns the padding's empty pages before the migrations, which are measured on the sample's own size, and gives
     * the tables their statistics again (as {@link #refresh} does, without padding).
     */
    public void removePadding(Connection connection, Data loaded, StatisticsSnapshot snapshot) throws SQLException {
        if (loaded.padded().isEmpty()) {
            return;
        }
        List<TableName> tables = new ArrayList<>();
        for (TablePadding table : loaded.padded()) {
            tables.add(dialect.tableName(connection, table.table()));
        }
        padding.remove(connection, tables);
        restore(connection, loaded, snapshot, Map.of());
        listener.info("Storage padding removed for the migrations: " + loaded.padded().size() + " table(s) back to the "
                + "sample's pages");
    }

    /**
     * Gives the loaded tables the statistics they had after loading again, once the migrations ran: a table rewrite
     * resets the planner's statistics to the shadow's (PostgreSQL swaps in the new storage's), so plans taken after
     * it would compare a sample-sized table with a production-sized one. Analyzes the loaded tables, then applies
     * the snapshot, as {@link #load} did; tables padded then are padded again, as far relative to their size now.
     *
     * @return whether the tables padded at the load could be padded again: if not, plans taken now compare with the
     *         plans of the unpadded tables, not with those taken after the load
     */
    public boolean refresh(Connection connection, Data loaded, StatisticsSnapshot snapshot) throws SQLException {
        // Towards production's pages as at the load, relative to the sample's size now (a migration may have widened
        // its rows); the same share of the way where maxPaddingMb stopped the padding then.
        Map<TableName, Long> targets = new LinkedHashMap<>();
        for (TablePadding table : loaded.padded()) {
            TableName name = dialect.tableName(connection, table.table());
            OptionalLong pages = dialect.columns(connection, name).isPresent() ? padding.pages(connection, name)
                    : OptionalLong.empty();
            if (pages.isPresent()) {
                targets.put(name, Math.round((double) pages.getAsLong() / Math.max(1, table.pages())
                        * Math.min(table.productionPages(), table.paddedPages())));
            }
        }
        return restore(connection, loaded, snapshot, targets);
    }

    /**
     * Analyzes the loaded tables, pads them towards the targets, then applies the snapshot.
     *
     * @return whether the padding, if any, was done
     */
    private boolean restore(Connection connection, Data loaded, StatisticsSnapshot snapshot, Map<TableName, Long> targets)
            throws SQLException {
        for (TableLoad table : loaded.tables()) {
            TableName name = dialect.tableName(connection, table.table());
            if (dialect.columns(connection, name).isPresent()) {
                dialect.analyze(connection, name);
            }
        }
        boolean padded = targets.isEmpty()
                || padding.pad(connection, targets, "the pages they had before the migrations").isPresent();
        if (snapshot == null) {
            return padded;
        }
        for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
            TableName table = dialect.tableName(connection, entry.getKey());
            if (dialect.columns(connection, table).isPresent()) {
                dialect.applyStatistics(connection, table, entry.getValue())
                        .forEach(line -> listener.debug("Statistics not applied again: " + line));
            }
        }
        return padded;
    }

    private Statistics apply(Connection connection, StatisticsSnapshot snapshot) throws SQLException {
        List<TableRows> tables = new ArrayList<>();
        List<String> notApplied = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
            TableName table = dialect.tableName(connection, entry.getKey());
            long rows = entry.getValue().rows();
            if (dialect.columns(connection, table).isEmpty()) {
                notApplied.add(entry.getKey() + ": the shadow has no such table");
                absent.add(entry.getKey());
                tables.add(new TableRows(entry.getKey(), rows, -1));
                continue;
            }
            List<String> refused = dialect.applyStatistics(connection, table, entry.getValue());
            notApplied.addAll(refused);
            long shadowRows = count(connection, table);
            if (shadowRows == 0 && rows > 0) {
                empty.add(entry.getKey());
            }
            tables.add(new TableRows(entry.getKey(), rows, shadowRows));
            listener.info(String.format("Statistics for %s: production has %,d rows, the shadow %,d; %s", entry.getKey(),
                    rows, shadowRows, refused.isEmpty() ? "all applied" : refused.size() + " item(s) not applied"));
        }
        if (!absent.isEmpty()) {
            listener.warn(String.format("%s names %d table(s) the shadow doesn't have: %s. Their row counts scale no "
                            + "estimate. Fix: name them as the migrations do (schema-qualified only outside the default "
                            + "schema), or remove them from the snapshot", config.data().statistics(), absent.size(),
                    String.join(", ", absent)));
        }
        if (!empty.isEmpty()) {
            listener.warn(String.format("%s gives production rows for %s, which the sample leaves empty: work on them "
                            + "is measured on empty tables and not scaled. Fix: add sample rows (a CSV file) for them",
                    config.data().statistics(), String.join(", ", empty)));
        }
        notApplied.stream().filter(line -> !line.endsWith(": the shadow has no such table"))
                .forEach(line -> listener.warn("Statistics not applied: " + line));
        List<TableName> sized = new ArrayList<>();
        long productionPages = 0;
        for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
            TableName table = dialect.tableName(connection, entry.getKey());
            if (entry.getValue().pages() != null && dialect.columns(connection, table).isPresent()) {
                sized.add(table);
                productionPages += entry.getValue().pages();
            }
        }
        dialect.scalePlanner(connection, sized, productionPages)
                .ifPresent(listener::info);
        return new Statistics(config.data().statistics().toString(), tables, notApplied);
    }

    private long count(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.sql(dialect))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
