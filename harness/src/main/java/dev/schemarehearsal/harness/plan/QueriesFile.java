package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code queries.sql}: each query is preceded by a {@code -- name: <id>} line, optionally a
 * {@code -- weight: N} line, and ended by {@code ;} at a line end. Other comment lines between queries are ignored.
 * Every error names the file, the line and the fix.
 */
public final class QueriesFile {
    private static final Pattern NAME = Pattern.compile("--\\s*name:\\s*(\\S*)\\s*");
    private static final Pattern WEIGHT = Pattern.compile("--\\s*weight:\\s*(\\S*)\\s*");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private QueriesFile() {
    }

    /** @throws ConfigurationException naming {@code queries}, the file and the line */
    public static List<Query> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("queries", file + ": unreadable: " + e.getMessage(),
                    "check the file exists and is UTF-8 text", e);
        }
        return parse(file, lines);
    }

    static List<Query> parse(Path file, List<String> lines) {
        List<Query> queries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String name = null;
        int nameLine = 0;
        Integer weight = null;
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            String trimmed = line.strip();
            Matcher nameMatch = NAME.matcher(trimmed);
            Matcher weightMatch = WEIGHT.matcher(trimmed);
            if (nameMatch.matches()) {
                if (name != null) {
                    throw error(file, nameLine, "query '" + name + "' is not ended by ';' at a line end before the next "
                            + "-- name: on line " + number, "end its last line with ';'");
                }
                name = nameMatch.group(1);
                nameLine = number;
                weight = null;
                if (!ID.matcher(name).matches()) {
                    throw error(file, number, "'" + name + "' is not a query name",
                            "write -- name: <id> with letters, digits, '_', '-' or '.', e.g. -- name: orders_of_customer");
                }
                Integer first = seen.putIfAbsent(name, number);
                if (first != null) {
                    throw error(file, number, "the name '" + name + "' is already used on line " + first,
                            "give each query its own name");
                }
            } else if (weightMatch.matches() && name != null && sql.isEmpty()) {
                if (weight != null) {
                    throw error(file, number, "query '" + name + "' has a second -- weight: line", "keep one");
                }
                weight = weight(file, number, weightMatch.group(1));
            } else if (weightMatch.matches()) {
                throw error(file, number, "-- weight: outside a query's header",
                        "put it right after the query's -- name: line, before its SQL");
            } else if (name == null) {
                if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                    throw error(file, number, "SQL outside a query", "put a -- name: <id> line before it");
                }
            } else if (sql.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                // Blank and comment lines between a query's header and its SQL belong to neither.
                continue;
            } else if (trimmed.endsWith(";")) {
                sql.append(line, 0, line.lastIndexOf(';'));
                String text = sql.toString().strip();
                if (text.isEmpty()) {
                    throw error(file, nameLine, "query '" + name + "' has no SQL", "write its statement after the -- name: line");
                }
                queries.add(new Query(name, text, weight == null ? 1 : weight, file, nameLine));
                name = null;
                sql.setLength(0);
            } else {
                sql.append(line).append('\n');
            }
        }
        if (name != null) {
            throw error(file, nameLine, "query '" + name + "' is not ended by ';' at a line end", "end its last line with ';'");
        }
        return List.copyOf(queries);
    }

    private static int weight(Path file, int line, String text) {
        try {
            int weight = Integer.parseInt(text);
            if (weight >= 1) {
                return weight;
            }
        } catch (NumberFormatException e) {
            // Reported below with the fix.
        }
        throw error(file, line, "weight '" + text + "' is not a whole number of 1 or more", "write e.g. -- weight: 5");
    }

    private static ConfigurationException error(Path file, int line, String message, String fix) {
        return new ConfigurationException("queries", file + ":" + line + ": " + message, fix);
    }
}
