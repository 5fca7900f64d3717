package dev.schemarehearsal.harness.sample;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sample.json}: which rows to take of each table, and how to mask columns.
 *
 * <pre>{@code
 * {"referencing": 0,
 *  "exclude": ["audit_log"],
 *  "tables": {"customers": {"percent": 1}, "orders": {"rows": 5000, "where": "status <> 'test'"},
 *             "order_items": {"via": ["order_id"]}},
 *  "masks": {"customers.email": "email", "customers.id": "hash", "customers.country": {"fixed": "NL"}}}
 * }</pre>
 *
 * @param referencing default of each table's {@code referencing}: how many rows that reference sampled rows it takes
 * @param exclude     tables not sampled at all (Flyway's {@code flyway_schema_history} never is)
 * @param tables      rules by table name, optionally {@code schema.table}
 * @param masks       by {@code table.column}
 */
record SamplePlan(int referencing, List<String> exclude, Map<String, TableRule> tables, Map<String, Mask> masks) {
    static final String PARAMETER = "sampleConfig";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final String EXAMPLE = "e.g. {\"tables\": {\"orders\": {\"percent\": 1}}, \"masks\": "
            + "{\"customers.email\": \"email\"}}; the README describes every field";

    SamplePlan {
        exclude = List.copyOf(exclude);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    }

    /**
     * One table's rule. {@code percent} and {@code rows} choose rows by a hash of their key and the seed, among the
     * rows {@code where} admits; {@code where} alone takes all it admits. {@code via} names the foreign keys of the
     * table along which its rows that reference sampled rows are taken (by constraint name or referencing columns);
     * without it, every foreign key of the table.
     */
    record TableRule(Double percent, Long rows, @JsonDeserialize(using = Where.Reader.class) Where where,
                     Integer referencing, @JsonDeserialize(contentUsing = Via.Reader.class) List<Via> via) {
        boolean selects() {
            return percent != null || rows != null || where != null;
        }
    }

    /** One entry of a {@code via} list and the line of the file it is written on, for messages. */
    record Via(String text, int line) {
        static final class Reader extends JsonDeserializer<Via> {
            @Override
            public Via deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (parser.currentToken() != JsonToken.VALUE_STRING) {
                    return (Via) context.handleUnexpectedToken(String.class, parser);
                }
                return new Via(parser.getText(), parser.currentTokenLocation().getLineNr());
            }
        }
    }

    /**
     * The most rows of a table that reference sampled rows it takes: its own {@code referencing}; else, with a
     * {@code via} list, every such row along those foreign keys; else the file's {@code referencing}.
     */
    long referencingLimit(TableRule rule) {
        if (rule != null && rule.referencing() != null) {
            return rule.referencing();
        }
        return rule != null && rule.via() != null ? Long.MAX_VALUE : referencing;
    }

    /** A {@code where} rule and the line of the file it is written on, for messages. */
    record Where(String sql, int line) {
        static final class Reader extends JsonDeserializer<Where> {
            @Override
            public Where deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (parser.currentToken() != JsonToken.VALUE_STRING) {
                    return (Where) context.handleUnexpectedToken(String.class, parser);
                }
                return new Where(parser.getText(), parser.currentTokenLocation().getLineNr());
            }
        }
    }

    /** The file's shape; masks are read apart, as a mask is a word or an object. */
    private record File(Integer referencing, List<String> exclude, Map<String, TableRule> tables, Map<String, JsonNode> masks) { }

    static SamplePlan read(Path file) {
        File parsed;
        try {
            parsed = MAPPER.readValue(file.toFile(), File.class);
        } catch (JsonMappingException e) {
            throw error(file, StatisticsFile.path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(PARAMETER, file + ":" + e.getLocation().getLineNr() + ":"
                    + e.getLocation().getColumnNr() + ": not JSON: " + e.getOriginalMessage(), "write valid JSON, " + EXAMPLE, e);
        } catch (IOException e) {
            throw new ConfigurationException(PARAMETER, file + ": unreadable: " + e.getMessage(),
                    "create it, or point <sampleConfig> at it; " + EXAMPLE, e);
        }
        if (parsed == null) {
            throw error(file, "$", "empty", null);
        }
        Map<String, TableRule> tables = parsed.tables() == null ? Map.of() : parsed.tables();
        tables.forEach((table, rule) -> check(file, "$.tables." + table, rule));
        Map<String, Mask> masks = new LinkedHashMap<>();
        if (parsed.masks() != null) {
            parsed.masks().forEach((column, node) -> masks.put(column, mask(file, "$.masks[\"" + column + "\"]", column, node)));
        }
        int referencing = parsed.referencing() == null ? 0 : parsed.referencing();
        if (referencing < 0) {
            throw error(file, "$.referencing", referencing + " is negative", null);
        }
        return new SamplePlan(referencing, parsed.exclude() == null ? List.of() : parsed.exclude(), tables, masks);
    }

    private static void check(Path file, String at, TableRule rule) {
        if (rule == null) {
            throw error(file, at, "expected an object such as {\"percent\": 1}", null);
        }
        if (rule.percent() != null && rule.rows() != null) {
            throw error(file, at, "has both percent and rows", null);
        }
        if (rule.percent() != null && !(rule.percent() > 0 && rule.percent() <= 100)) {
            throw error(file, at + ".percent", rule.percent() + " is outside 0 (excluded) to 100", null);
        }
        if (rule.rows() != null && rule.rows() < 0) {
            throw error(file, at + ".rows", rule.rows() + " is negative", null);
        }
        if (rule.referencing() != null && rule.referencing() < 0) {
            throw error(file, at + ".referencing", rule.referencing() + " is negative", null);
        }
        if (rule.where() != null && rule.where().sql().isBlank()) {
            throw error(file, at + ".where", "is empty", null);
        }
        if (rule.via() != null) {
            for (int i = 0; i < rule.via().size(); i++) {
                if (rule.via().get(i) == null || rule.via().get(i).text().isBlank()) {
                    throw error(file, at + ".via[" + i + "]", "is empty: name a foreign key of the table by its "
                            + "constraint or its columns, e.g. \"order_id\"", null);
                }
            }
        }
    }

    /**
     * Refuses, before anything is sent to the source, a {@code where} rule that is not exactly one condition that only
     * reads (see {@link SourceSql}).
     */
    void checkWhereRules(Path file, Dialect dialect) {
        tables.forEach((table, rule) -> {
            if (rule.where() == null) {
                return;
            }
            SourceSql.Problem problem = SourceSql.condition(dialect, rule.where().sql());
            if (problem != null) {
                String at = "$.tables." + table + ".where";
                String within = rule.where().sql().lines().count() > 1 ? " (line " + problem.line() + " of the rule)" : "";
                throw new ConfigurationException(PARAMETER, file + ":" + rule.where().line() + ": " + at + ": "
                        + problem.reason() + within, "write one condition that only reads, e.g. \"status <> 'test'\"; "
                        + "schema:sample sends the source nothing else");
            }
        });
    }

    private static Mask mask(Path file, String at, String column, JsonNode node) {
        if (column.lastIndexOf('.') <= 0) {
            throw error(file, at, "'" + column + "' names no table: write table.column", null);
        }
        if (node.isObject() && node.size() == 1 && node.has("fixed") && node.get("fixed").isValueNode()
                && !node.get("fixed").isNull()) {
            return new Mask(Mask.Kind.FIXED, node.get("fixed").asText());
        }
        if (node.isTextual()) {
            for (Mask.Kind kind : Mask.Kind.values()) {
                if (kind != Mask.Kind.FIXED && kind.name().toLowerCase(Locale.ROOT).equals(node.asText())) {
                    return new Mask(kind, null);
                }
            }
        }
        throw error(file, at, "unknown mask " + node, null);
    }

    private static ConfigurationException error(Path file, String at, String problem, Exception cause) {
        return new ConfigurationException(PARAMETER, file + ": " + at + ": " + problem, "correct " + at
                + "; a mask is \"null\", \"hash\", \"email\", \"name\", \"phone\" or {\"fixed\": \"value\"}; " + EXAMPLE, cause);
    }
}
