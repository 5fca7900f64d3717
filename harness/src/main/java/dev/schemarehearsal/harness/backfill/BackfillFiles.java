package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code backfills/*.sql}: header lines ({@code -- backfill:}, {@code -- after:}, {@code -- table:},
 * {@code -- key:}, {@code -- batch:}, {@code -- verify:}), then one statement using {@code :from} and {@code :to}.
 */
public final class BackfillFiles {
    private static final String PARAMETER = "backfills";
    private static final Set<String> HEADERS = Set.of("backfill", "after", "table", "key", "batch", "verify");
    private static final Pattern HEADER = Pattern.compile("--\\s*([A-Za-z-]+)\\s*:(.*)");
    /** A trailing comment after a header's value, as in {@code -- after: 5   -- the column}. */
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+--(\\s.*)?$");
    /** {@code :from} and {@code :to}, but not a PostgreSQL cast such as {@code ::to}. */
    private static final Pattern BOUND = Pattern.compile("(?<!:):(from|to)\\b");

    private BackfillFiles() {
    }

    /** Every {@code *.sql} in the folder, by file name; none when the folder doesn't exist. */
    public static List<Backfill> read(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        List<Backfill> backfills = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sql")).sorted().toList()) {
                backfills.add(parse(file, Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return backfills;
    }

    static SqlBackfill parse(Path file, List<String> lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder();
        int statementLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (statementLine == 0) {
                if (line.isEmpty()) {
                    continue;
                }
                Matcher header = HEADER.matcher(line);
                if (header.matches()) {
                    String name = header.group(1).toLowerCase(Locale.ROOT);
                    if (!HEADERS.contains(name)) {
                        throw error(file, number, "unknown header '-- " + name + ":'",
                                "use the headers backfill, after, table, key, batch and verify (see the README)");
                    }
                    if (headers.containsKey(name)) {
                        throw error(file, number, "'-- " + name + ":' appears twice (first on line "
                                + headerLines.get(name) + ")", "keep one");
                    }
                    String value = TRAILING_COMMENT.matcher(header.group(2).strip()).replaceFirst("").strip();
                    if (value.isEmpty()) {
                        throw error(file, number, "'-- " + name + ":' has no value", "write the value after the colon");
                    }
                    headers.put(name, value);
                    headerLines.put(name, number);
                    continue;
                }
                if (line.startsWith("--")) {
                    continue;
                }
                statementLine = number;
            }
            sql.append(lines.get(i)).append('\n');
        }
        for (String required : List.of("after", "table", "key")) {
            if (!headers.containsKey(required)) {
                throw error(file, 1, "the '-- " + required + ":' header is missing",
                        "add it before the statement, e.g. " + example(required));
            }
        }
        int batch = Backfill.DEFAULT_BATCH;
        if (headers.containsKey("batch")) {
            try {
                batch = Integer.parseInt(headers.get("batch"));
            } catch (NumberFormatException e) {
                batch = 0;
            }
            if (batch <= 0) {
                throw error(file, headerLines.get("batch"), "'-- batch: " + headers.get("batch")
                        + "' is not a positive number of rows", "write e.g. -- batch: 5000");
            }
        }
        String statement = sql.toString().strip();
        if (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).strip();
        }
        if (statement.isEmpty()) {
            throw error(file, lines.size(), "there is no statement after the headers",
                    "add the UPDATE that fills one batch, e.g. UPDATE t SET c = 0 WHERE id > :from AND id <= :to AND c IS NULL;");
        }
        int semicolon = statement.indexOf(';');
        if (semicolon >= 0) {
            throw error(file, statementLine + (int) statement.substring(0, semicolon).chars().filter(c -> c == '\n').count(),
                    "more than one statement", "keep one statement per backfill file");
        }
        List<String> parameters = new ArrayList<>();
        Matcher bound = BOUND.matcher(statement);
        while (bound.find()) {
            parameters.add(bound.group(1));
        }
        if (!parameters.contains("from") || !parameters.contains("to")) {
            throw error(file, statementLine, "the statement does not use both :from and :to",
                    "limit it to one batch of keys: WHERE " + headers.get("key") + " > :from AND "
                            + headers.get("key") + " <= :to");
        }
        String name = headers.getOrDefault("backfill", file.getFileName().toString().replaceFirst("\\.sql$", ""));
        return new SqlBackfill(name, headers.get("after"), headers.get("table"), headers.get("key"), batch,
                headers.get("verify"), bound.replaceAll("?"), parameters, file.toString(), headerLines.get("after"));
    }

    private static String example(String header) {
        return switch (header) {
            case "after" -> "-- after: 5 (the migration version it follows)";
            case "table" -> "-- table: customers";
            default -> "-- key: id (a numeric, indexed column)";
        };
    }

    static ConfigurationException error(Path file, int line, String problem, String fix) {
        return new ConfigurationException(PARAMETER, file + ":" + line + ": " + problem, fix);
    }
}
