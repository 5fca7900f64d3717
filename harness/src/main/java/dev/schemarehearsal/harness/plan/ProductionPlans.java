package dev.schemarehearsal.harness.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.PlanNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Production's plans of the queries of {@code queries.sql} ({@code plans.json}), as {@code schema:sample} captures
 * them with plain EXPLAIN: the plan tree of each query by its name, in the report's plan model.
 *
 * @param engine      the engine the plans were taken on, informational
 * @param collectedAt when they were taken, informational
 * @param queries     each query's plan by the query's name
 */
public record ProductionPlans(String engine, String collectedAt, Map<String, PlanNode> queries) {
    public static final String PARAMETER = "productionPlans";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public ProductionPlans {
        queries = queries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    }

    /** @throws ConfigurationException naming {@value #PARAMETER} and the file when it isn't a plans file */
    public static ProductionPlans read(Path file) {
        try {
            ProductionPlans plans = MAPPER.readValue(file.toFile(), ProductionPlans.class);
            if (plans == null || plans.queries().values().stream().anyMatch(p -> p == null || p.nodeType() == null)) {
                throw new ConfigurationException(PARAMETER, file + ": $.queries: a query without a plan",
                        "capture the file again with schema:sample, which writes it from queries.sql");
            }
            return plans;
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(PARAMETER, file + ": not a plans file: " + e.getOriginalMessage(),
                    "capture it again with schema:sample (queries.sql next to it), or remove it", e);
        } catch (IOException e) {
            throw new ConfigurationException(PARAMETER, file + ": unreadable: " + e.getMessage(), "check the file", e);
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            MAPPER.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
