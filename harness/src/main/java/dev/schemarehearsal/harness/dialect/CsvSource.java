package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.QuoteMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * One CSV file to load and how to read it. Its NULL rule is PostgreSQL's COPY CSV rule, which every engine's load
 * follows: without a marker an empty unquoted field is NULL and a quoted empty field ({@code ""}) the empty string;
 * with a marker the unquoted marker is NULL and everything else, quoted markers and empty fields included, is text.
 *
 * @param nullMarker the unquoted field meaning NULL, or {@code null} for the empty unquoted field
 * @param columns    the table's columns in the header's order
 */
public record CsvSource(Path file, Charset encoding, String nullMarker, TableName table, List<String> columns) {

    public CsvSource {
        columns = List.copyOf(columns);
    }

    /** Commons CSV reads quoted and unquoted fields apart only in a strict quote mode, hence ALL_NON_NULL. */
    public static CSVFormat format(String nullMarker) {
        return CSVFormat.DEFAULT.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setQuoteMode(QuoteMode.ALL_NON_NULL)
                .setNullString(nullMarker)
                .get();
    }

    /** Parses the data rows of a stream of this file; the header row is read and skipped. */
    public CSVParser parse(InputStream data) throws IOException {
        Reader reader = new InputStreamReader(data, encoding);
        return format(nullMarker).parse(reader);
    }
}
