package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.TableLoad;
import dev.schemarehearsal.harness.dialect.CsvSource;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.RowRejectedException;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Loads one CSV per table ({@code <table>.csv} or {@code <schema>.<table>.csv}, header row = column names) into the
 * shadow through the engine's bulk path, parents before children. Every file is checked against the catalog before
 * any row loads. The engine parses every value: the loader sends text.
 */
final class CsvLoader {
    private final Dialect dialect;
    private final RehearsalListener listener;
    private final Charset encoding;
    private final String nullMarker;

    CsvLoader(Dialect dialect, RehearsalListener listener, Charset encoding, String nullMarker) {
        this.dialect = dialect;
        this.listener = listener;
        this.encoding = encoding;
        this.nullMarker = nullMarker;
    }

    /** A loaded table: the catalog's name for it and what the report says. */
    record Loaded(TableName table, TableLoad load) { }

    /** Checks every file against the catalog, then loads them all; returns one entry per file, in load order. */
    /** @param dataDirectory the CSV files' folder; {@code null} loads nothing (the baseline {@code none}) */
    List<Loaded> load(Connection connection, Path dataDirectory) throws SQLException {
        if (dataDirectory == null) {
            return List.of();
        }
        if (!Files.isDirectory(dataDirectory)) {
            listener.info("No data directory " + dataDirectory + ": the shadow starts empty");
            return List.of();
        }
        List<CsvSource> files = new ArrayList<>();
        for (Path file : csvFiles(dataDirectory)) {
            files.add(check(connection, file));
        }
        List<Loaded> loads = new ArrayList<>();
        for (CsvSource file : loadOrder(connection, files)) {
            loads.add(new Loaded(file.table(), load(connection, file)));
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

    private CsvSource check(Connection connection, Path file) throws SQLException {
        String fileName = file.getFileName().toString();
        TableName table = dialect.tableName(connection, fileName.substring(0, fileName.length() - ".csv".length()));
        Optional<List<Column>> tableColumns = dialect.columns(connection, table);
        if (tableColumns.isEmpty()) {
            throw new ConfigurationException("dataDirectory", file + ": the baseline schema has no table "
                    + table.sql(dialect), "rename the file after a table that exists at <baseline>, or remove it");
        }
        List<String> names = tableColumns.get().stream().map(Column::name).toList();
        List<String> columns = new ArrayList<>();
        for (String name : header(file)) {
            Column column = tableColumns.get().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ConfigurationException("dataDirectory", file + ":1: table " + table.sql(dialect)
                            + " has no column '" + name + "'", "its columns are " + String.join(", ", names)));
            if (column.generated()) {
                // Said before any row loads: the engines refuse a value for it, or drop it, row by row.
                throw new ConfigurationException("dataDirectory", file + ":1: column '" + column.name() + "' of table "
                        + table.sql(dialect) + " is a generated column: the engine computes its values",
                        "leave generated columns out of the CSV header (and their values out of the rows)");
            }
            columns.add(column.name());
        }
        return new CsvSource(file, encoding, nullMarker, table, columns);
    }

    private List<String> header(Path file) {
        try (InputStream in = Files.newInputStream(file);
             CSVParser parser = CsvSource.format(nullMarker).parse(new InputStreamReader(in, encoding))) {
            List<String> header = new ArrayList<>(parser.getHeaderNames());
            if (header.isEmpty()) {
                throw new ConfigurationException("dataDirectory", file + ":1: no header row",
                        "start the file with a row of column names");
            }
            // Spreadsheets start UTF-8 files with a byte order mark.
            header.set(0, header.get(0).replace("\uFEFF", ""));
            return header;
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            ConfigurationException quoting = brokenQuoting(file, List.of(), e);
            throw quoting != null ? quoting : new ConfigurationException("dataDirectory",
                    file + ":1: unreadable header: " + e.getMessage(),
                    "write the column names, comma-separated, on the first line", e);
        }
    }

    /** Parents before children, by the foreign keys in the catalog; ties keep file order. */
    private List<CsvSource> loadOrder(Connection connection, List<CsvSource> files) throws SQLException {
        Map<TableName, CsvSource> byTable = new LinkedHashMap<>();
        files.forEach(f -> byTable.put(f.table(), f));
        return parentsFirst(dialect, connection, List.copyOf(byTable.keySet())).stream().map(byTable::get).toList();
    }

    /** The tables, parents before children by the foreign keys between them in the catalog; ties keep their order. */
    static List<TableName> parentsFirst(Dialect dialect, Connection connection, List<TableName> tables)
            throws SQLException {
        Map<TableName, List<TableName>> parents = new LinkedHashMap<>();
        for (TableName table : tables) {
            parents.put(table, dialect.referencedTables(connection, table).stream().filter(tables::contains).toList());
        }
        List<TableName> ordered = new ArrayList<>();
        while (!parents.isEmpty()) {
            TableName ready = parents.entrySet().stream()
                    .filter(e -> e.getValue().stream().noneMatch(parents::containsKey))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    // A cycle of foreign keys: load in file order; the engine will say which row is orphaned.
                    .orElse(parents.keySet().iterator().next());
            ordered.add(ready);
            parents.remove(ready);
        }
        return ordered;
    }

    private TableLoad load(Connection connection, CsvSource source) throws SQLException {
        long start = System.nanoTime();
        long rows;
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (InputStream in = new ProgressStream(Files.newInputStream(source.file()), Files.size(source.file()),
                "Loading " + source.table().name(), listener)) {
            rows = dialect.bulkLoad(connection, source, in, listener);
            dialect.advanceSequences(connection, source.table());
            connection.commit();
        } catch (RowRejectedException e) {
            connection.rollback();
            throw rejected(source, e);
        } catch (IOException | UncheckedIOException e) {
            connection.rollback();
            ConfigurationException quoting = brokenQuoting(source.file(), source.columns(), e);
            throw quoting != null ? quoting : new ConfigurationException("dataDirectory",
                    source.file() + ": unreadable CSV: " + e.getMessage(),
                    "check the file is " + encoding.name() + " CSV, or set <encoding>", e);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        listener.info(String.format("Loaded %s: %,d rows in %s (%,.0f rows/s)", source.table().name(), rows, human(durationMs),
                rows * 1000.0 / Math.max(1, durationMs)));
        return new TableLoad(source.table().name(), source.file().getFileName().toString(), rows, durationMs);
    }

    /** {@code file:line: column <name>: <value>: <engine's reason>}, with as much of the location as can be found. */
    private ConfigurationException rejected(CsvSource source, RowRejectedException e) {
        ConfigurationException quoting = e.brokenQuoting() ? brokenQuoting(source.file(), source.columns(), e) : null;
        if (quoting != null) {
            return quoting;
        }
        int column = e.column() == null ? -1 : indexOf(source.columns(), e.column());
        Row row = find(source, e, column);
        StringBuilder message = new StringBuilder(source.file().toString());
        if (row != null) {
            message.append(':').append(row.line());
            if (column >= 0 && column < row.record().size()) {
                String value = row.record().get(column);
                message.append(": column ").append(source.columns().get(column)).append(": ")
                        .append(value == null ? "NULL" : value.isEmpty() ? "\"\"" : value);
            }
        }
        message.append(": ").append(e.reason());
        return new ConfigurationException("dataDirectory", message.toString(),
                "correct the row, or the column's type at <baseline>; the engine parses every value as the column's type", e);
    }

    /**
     * {@code file:line:character: column <name>: <what is wrong with the quote>}, at the quote that opened the broken
     * field; {@code null} when the failure was not about quoting, or no broken quote is found, so the caller keeps its
     * own message.
     *
     * @param columns the header's columns, to name the field; empty when the header itself could not be read
     */
    private ConfigurationException brokenQuoting(Path file, List<String> columns, Exception failure) {
        Throwable cause = failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
        boolean quoting = cause instanceof CSVException
                || cause instanceof RowRejectedException rejected && rejected.brokenQuoting();
        if (!quoting) {
            return null;
        }
        Optional<CsvQuoting.Problem> found;
        try (Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), encoding))) {
            found = CsvQuoting.find(in);
        } catch (IOException | UncheckedIOException unreadable) {
            return null;
        }
        if (found.isEmpty()) {
            return null;
        }
        CsvQuoting.Problem problem = found.get();
        String field = problem.field() < columns.size() ? "column " + columns.get(problem.field())
                : "field " + (problem.field() + 1);
        String where = file + ":" + problem.line() + ":" + problem.column() + ": " + field + ": ";
        String doubled = "close the quote, or double a quote inside a quoted field: \"\"";
        return switch (problem.kind()) {
            case UNTERMINATED -> new ConfigurationException("dataDirectory", where + "the quote that opens this field "
                    + "is never closed, so the rest of the file was read into the field", doubled, failure);
            case UNDOUBLED -> new ConfigurationException("dataDirectory", where + "the quoted field that opens here "
                    + "holds a quote at line " + problem.quoteLine() + ", character " + problem.quoteColumn()
                    + " that neither ends the field (before a comma or the line's end) nor is doubled", doubled, failure);
            case IN_UNQUOTED -> new ConfigurationException("dataDirectory", where + "a quote inside a field that does not "
                    + "start with one: RFC 4180 allows quotes in quoted fields only, and PostgreSQL's COPY reads this one "
                    + "as opening a quoted field that runs on past the line",
                    "quote the whole field and double each quote inside it, e.g. \"12\"\" pipe\"", failure);
        };
    }

    private static int indexOf(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** A data row and the file line it starts on. */
    private record Row(long line, CSVRecord record) { }

    /**
     * Reads the file again to find the rejected row: by its number, by a line it covers, or as the n-th row holding the
     * engine's value. Only failed loads pay for this.
     */
    private Row find(CsvSource source, RowRejectedException e, int column) {
        boolean byValue = e.record() <= 0 && e.line() <= 0;
        if (byValue && (column < 0 || e.value() == null)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(source.file()); CSVParser parser = source.parse(in)) {
            // next() without hasNext(): hasNext() reads ahead, and the line number with it.
            Iterator<CSVRecord> records = parser.iterator();
            Row previous = null;
            int seen = 0;
            for (long number = 1; ; number++) {
                long first = parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    record = records.next();
                } catch (NoSuchElementException end) {
                    // A last row without a line break ends one line later than the parser counts.
                    return !byValue && previous != null && e.line() >= previous.line() ? previous : null;
                }
                long last = Math.max(first, parser.getCurrentLineNumber());
                boolean found = byValue
                        ? column < record.size() && Objects.equals(record.get(column), e.value()) && ++seen == e.occurrence()
                        : number == e.record() || first <= e.line() && e.line() <= last;
                if (found) {
                    return new Row(first, record);
                }
                previous = new Row(first, record);
            }
        } catch (IOException | UncheckedIOException unreadable) {
            return null;
        }
    }
}
