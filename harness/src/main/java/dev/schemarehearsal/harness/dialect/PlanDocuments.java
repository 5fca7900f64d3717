package dev.schemarehearsal.harness.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** What the plan parsers share: reading the engine's JSON and its numbers, which some engines write as strings. */
final class PlanDocuments {
    private static final JsonMapper MAPPER = new JsonMapper();

    private PlanDocuments() {
    }

    static JsonNode read(String document) {
        try {
            return MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON plan document: " + e.getOriginalMessage(), e);
        }
    }

    /** The field as a number, whether the engine wrote {@code 1.5} or {@code "1.5"}; {@code null} when absent. */
    static Double number(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
