package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.dialect.CsvSource;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SampleFilesTest {
    @Test
    void theLoaderReadsBackEveryValueNullAndEmptyApartAndGeneratedColumnsAreLeftOut(@TempDir Path directory)
            throws Exception {
        List<Column> columns = List.of(new Column("id", Column.Kind.NUMBER, false), new Column("note", Column.Kind.TEXT, false),
                new Column("total", Column.Kind.NUMBER, true));
        List<String[]> rows = List.of(new String[] {"1", null, "9"}, new String[] {"2", "", "9"},
                new String[] {"3", "a, \"quoted\"\nline", "9"}, new String[] {"4", "Zoë 日本", "9"});
        Path file = directory.resolve("t.csv");
        SampleFiles.writeCsv(file, columns, rows);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("\"id\",\"note\"\n\"1\",\n\"2\",\"\"\n");
        try (CSVParser parser = new CsvSource(file, StandardCharsets.UTF_8, null, null, List.of("id", "note"))
                .parse(Files.newInputStream(file))) {
            assertThat(parser.getHeaderNames()).containsExactly("id", "note");
            List<List<String>> read = new ArrayList<>();
            for (CSVRecord record : parser) {
                read.add(Arrays.asList(record.values()));
            }
            assertThat(read).containsExactly(Arrays.asList("1", null), List.of("2", ""), List.of("3", "a, \"quoted\"\nline"),
                    List.of("4", "Zoë 日本"));
        }
    }
}
