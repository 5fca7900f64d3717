package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads one CSV per table ({@code <table>.csv} or {@code <schema>.<table>.csv}, header row = column names) into the
 * shadow, parents before children. An empty unquoted field is NULL; a quoted empty field ({@code ""}) is the empty
 * string. The engine parses every value: the loader sends text.
 */
public final class CsvLoader {
    /** Unquoted empty fields read as null, quoted ones as "": PostgreSQL's own CSV convention. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .get();
    private static final int BATCH = 1000;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final Dialect dialect;
    private final RehearsalListener listener;

    public CsvLoader(Dialect dialect, RehearsalListener listener) {
        this.dialect = dialect;
        this.listener = listener;
    }

    /** One CSV file and the table it fills. */
    record TableFile(Path file, TableName table, List<String> columns) { }

    /** Checks every file against the catalog, then loads them all; returns one entry per file, in load order. */
    public List<TableLoad> load(Connection connection, Path dataDirectory) throws SQLException {
        if (!Files.isDirectory(dataDirectory)) {
            listener.info("No data directory " + dataDirectory + ": the shadow starts empty");
            return List.of();
        }
        List<TableFile> files = new ArrayList<>();
        for (Path file : csvFiles(dataDirectory)) {
            files.add(check(connection, file));
        }
        List<TableLoad> loads = new ArrayList<>();
        for (TableFile file : loadOrder(connection, files)) {
            loads.add(load(connection, file));
        }
        return loads;
    }

    private static List<Path> csvFiles(Path dataDirectory) {
        try (Stream<Path> listing = Files.list(dataDirectory)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TableFile check(Connection connection, Path file) throws SQLException {
        String fileName = file.getFileName().toString();
        TableName table = dialect.tableName(connection, fileName.substring(0, fileName.length() - ".csv".length()));
        Optional<List<String>> tableColumns = dialect.columns(connection, table);
        if (tableColumns.isEmpty()) {
            throw new ConfigurationException("dataDirectory", file + ": the baseline schema has no table "
                    + table.sql(dialect), "rename the file after a table that exists at <baseline>, or remove it");
        }
        List<String> header = header(file);
        List<String> columns = new ArrayList<>();
        for (String name : header) {
            String column = tableColumns.get().stream().filter(c -> c.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ConfigurationException("dataDirectory", file + ":1: table " + table.sql(dialect)
                            + " has no column '" + name + "'", "its columns are " + String.join(", ", tableColumns.get())));
            columns.add(column);
        }
        return new TableFile(file, table, columns);
    }

    private static List<String> header(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new ConfigurationException("dataDirectory", file + ":1: no header row",
                        "start the file with a row of column names");
            }
            return header;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("dataDirectory", file + ":1: unreadable header: " + e.getMessage(),
                    "write the column names, comma-separated, on the first line", e);
        }
    }

    /** Parents before children, by the foreign keys in the catalog; ties keep file order. */
    private List<TableFile> loadOrder(Connection connection, List<TableFile> files) throws SQLException {
        Map<TableName, TableFile> byTable = new LinkedHashMap<>();
        files.forEach(f -> byTable.put(f.table(), f));
        Map<TableName, List<TableName>> parents = new LinkedHashMap<>();
        for (TableFile file : files) {
            parents.put(file.table(), dialect.referencedTables(connection, file.table()).stream()
                    .filter(byTable::containsKey).toList());
        }
        List<TableFile> ordered = new ArrayList<>();
        while (!parents.isEmpty()) {
            TableName ready = parents.entrySet().stream()
                    .filter(e -> e.getValue().stream().noneMatch(parents::containsKey))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    // A cycle of foreign keys: load in file order; the engine will say which row is orphaned.
                    .orElse(parents.keySet().iterator().next());
            ordered.add(byTable.get(ready));
            parents.remove(ready);
        }
        return ordered;
    }

    private TableLoad load(Connection connection, TableFile file) throws SQLException {
        String columns = file.columns().stream().map(dialect::quote).collect(Collectors.joining(", "));
        String values = file.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + file.table().sql(dialect) + " (" + columns + ") VALUES (" + values + ")";
        long start = System.nanoTime();
        long lastProgress = start;
        long rows = 0;
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Reader reader = Files.newBufferedReader(file.file(), StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(reader);
             PreparedStatement insert = connection.prepareStatement(sql)) {
            long batchFirstLine = 2;
            for (CSVRecord record : parser) {
                if (record.size() != file.columns().size()) {
                    throw new ConfigurationException("dataDirectory", file.file() + ":" + parser.getCurrentLineNumber()
                            + ": " + record.size() + " fields, the header has " + file.columns().size(),
                            "give every row one field per header column (quote fields that contain commas)");
                }
                for (int i = 0; i < record.size(); i++) {
                    insert.setString(i + 1, record.get(i));
                }
                insert.addBatch();
                rows++;
                if (rows % BATCH == 0) {
                    execute(insert, file, batchFirstLine, parser.getCurrentLineNumber());
                    batchFirstLine = parser.getCurrentLineNumber() + 1;
                    long now = System.nanoTime();
                    if (now - lastProgress > PROGRESS_EVERY_NANOS) {
                        lastProgress = now;
                        listener.info(String.format("Loading %s: %,d rows, %,.0f rows/s", file.table().name(), rows,
                                rows / ((now - start) / 1e9)));
                    }
                }
            }
            execute(insert, file, batchFirstLine, parser.getCurrentLineNumber());
            connection.commit();
        } catch (IOException | UncheckedIOException e) {
            connection.rollback();
            throw new ConfigurationException("dataDirectory", file.file() + ": unreadable CSV: " + e.getMessage(),
                    "check the file is UTF-8 CSV with balanced quotes", e);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        listener.info(String.format("Loaded %s: %,d rows in %,d ms", file.table().name(), rows, durationMs));
        return new TableLoad(file.table().name(), file.file().getFileName().toString(), rows, durationMs);
    }

    /** The engine's reason without the batch's SQL, which drivers repeat in full. */
    private static String engineReason(SQLException e) {
        SQLException last = e;
        while (last.getNextException() != null) {
            last = last.getNextException();
        }
        String message = last.getMessage();
        int aborted = message.indexOf("was aborted: ");
        if (aborted >= 0) {
            message = message.substring(aborted + "was aborted: ".length());
        }
        int hint = message.indexOf("  Call getNextException");
        return (hint >= 0 ? message.substring(0, hint) : message).strip();
    }

    private void execute(PreparedStatement insert, TableFile file, long firstLine, long lastLine) {
        try {
            insert.executeBatch();
        } catch (SQLException e) {
            throw new ConfigurationException("dataDirectory", file.file() + ":" + firstLine + "-" + lastLine
                    + ": the engine rejected a row: " + engineReason(e), "correct the row the engine names", e);
        }
    }
}
