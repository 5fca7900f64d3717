package dev.schemarehearsal.harness.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.ColumnStatistics;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads {@code stats.json}; every error names the file, the JSON path at fault and the fix. */
public final class StatisticsFile {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final String EXAMPLE = "e.g. {\"tables\": {\"orders\": {\"rows\": 120000000}}}; the README describes "
            + "every field, and stats-postgresql.sql / stats-mysql.sql produce the file";

    private StatisticsFile() {
    }

    /** The text of a shipped script that writes {@code stats.json}, e.g. {@code stats-postgresql.sql}. */
    public static String script(String name) {
        try (InputStream in = StatisticsFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no script " + name + " in the harness");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws ConfigurationException naming {@code statistics}, the file and the JSON path */
    public static StatisticsSnapshot read(Path file) {
        StatisticsSnapshot snapshot;
        try {
            snapshot = MAPPER.readValue(file.toFile(), StatisticsSnapshot.class);
        } catch (UnrecognizedPropertyException e) {
            throw error(file, path(e), "unknown field '" + e.getPropertyName() + "'; the fields here are "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")), e);
        } catch (MismatchedInputException e) {
            throw error(file, path(e), "expected " + describe(e.getTargetType()), e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw notJson(file, syntax);
            }
            throw error(file, path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw notJson(file, e);
        } catch (IOException e) {
            throw new ConfigurationException("statistics", file + ": unreadable: " + e.getMessage(), "check the file", e);
        }
        if (snapshot == null || snapshot.tables().isEmpty()) {
            throw error(file, "$.tables", "no tables", null);
        }
        snapshot.tables().forEach((table, stats) -> check(file, "$.tables" + key(table), stats));
        return snapshot;
    }

    private static ConfigurationException notJson(Path file, JsonProcessingException e) {
        return new ConfigurationException("statistics", file + ":" + e.getLocation().getLineNr() + ":"
                + e.getLocation().getColumnNr() + ": not JSON: " + e.getOriginalMessage(), "write valid JSON, " + EXAMPLE, e);
    }

    private static void check(Path file, String at, TableStatistics table) {
        if (table == null || table.rows() == null) {
            throw error(file, at + ".rows", "missing: every table needs its row count", null);
        }
        atLeastZero(file, at + ".rows", table.rows());
        atLeastZero(file, at + ".pages", table.pages());
        atLeastZero(file, at + ".allVisiblePages", table.allVisiblePages());
        atLeastZero(file, at + ".bytes", table.bytes());
        table.columns().forEach((name, column) -> check(file, at + ".columns" + key(name), column));
    }

    private static void check(Path file, String at, ColumnStatistics column) {
        if (column == null) {
            throw error(file, at, "expected an object of column statistics", null);
        }
        between(file, at + ".nullFraction", column.nullFraction(), 0, 1);
        between(file, at + ".correlation", column.correlation(), -1, 1);
        if (column.distinct() != null && column.distinct() < -1) {
            throw error(file, at + ".distinct", column.distinct() + " is below -1: a negative value is minus the share "
                    + "of rows that are distinct, -1 at most", null);
        }
        atLeastZero(file, at + ".averageWidth", column.averageWidth() == null ? null : column.averageWidth().longValue());
        List<String> values = column.mostCommonValues();
        List<Double> frequencies = column.mostCommonFrequencies();
        if ((values == null) != (frequencies == null) || values != null && values.size() != frequencies.size()) {
            throw error(file, at + ".mostCommonFrequencies", "mostCommonValues and mostCommonFrequencies go together, "
                    + "one frequency per value", null);
        }
        if (frequencies != null) {
            for (int i = 0; i < frequencies.size(); i++) {
                between(file, at + ".mostCommonFrequencies[" + i + "]", frequencies.get(i), 0, 1);
            }
        }
    }

    private static void atLeastZero(Path file, String at, Long value) {
        if (value != null && value < 0) {
            throw error(file, at, value + " is negative", null);
        }
    }

    private static void between(Path file, String at, Double value, double low, double high) {
        if (value != null && (value < low || value > high || value.isNaN())) {
            throw error(file, at, value + " is outside " + (int) low + " to " + (int) high, null);
        }
    }

    private static ConfigurationException error(Path file, String at, String problem, Exception cause) {
        return new ConfigurationException("statistics", file + ": " + at + ": " + problem, "correct " + at + ", " + EXAMPLE,
                cause);
    }

    /** The JSON path of the failing value, e.g. {@code $.tables["public.orders"].columns.status.nullFraction}. */
    public static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : e.getPath()) {
            path.append(reference.getFieldName() != null ? key(reference.getFieldName()) : "[" + reference.getIndex() + "]");
        }
        return path.toString();
    }

    private static String key(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + name : "[\"" + name.replace("\"", "\\\"") + "\"]";
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "a " + type.getSimpleName();
    }
}
