package dev.schemarehearsal.harness.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.dialect.CsvSource;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Writes what the sample produces: CSV files the loader reads, and JSON documents. */
final class SampleFiles {
    static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SampleFiles() {
    }

    /**
     * One table's CSV in the loader's format, read with its default NULL rule: a header row, then every non-null value
     * quoted and NULL as an empty unquoted field, so NULL and the empty string ({@code ""}) stay apart. UTF-8, one
     * {@code \n} per row. Generated columns are left out: the engine computes them.
     */
    static long writeCsv(Path file, List<Column> columns, List<String[]> rows) throws IOException {
        int[] written = IntStream.range(0, columns.size()).filter(i -> !columns.get(i).generated()).toArray();
        CSVFormat format = CsvSource.format(null).builder()
                .setHeader(Arrays.stream(written).mapToObj(i -> columns.get(i).name()).toArray(String[]::new))
                .setSkipHeaderRecord(false)
                .setRecordSeparator('\n')
                .get();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CSVPrinter printer = new CSVPrinter(out, format)) {
            for (String[] row : rows) {
                for (int i : written) {
                    printer.print(row[i]);
                }
                printer.println();
            }
        }
        return rows.size();
    }

    static void writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
    }
}
