package dev.schemarehearsal.harness.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code findings.sarif}: SARIF 2.1.0 for code-scanning views. Any producer of findings located in files writes
 * through {@link #write}: the rehearsal, and the static checks.
 */
public final class Sarif {
    public static final String VERSION = "2.1.0";
    public static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";
    /** The base the files are relative to: the project's directory, wherever it is checked out. */
    public static final String BASE = "%SRCROOT%";

    private Sarif() {
    }

    /**
     * A finding and where it is.
     *
     * @param file its file relative to the project, with {@code /} separators, or {@code null} when it has none
     * @param line its 1-based line in the file, or {@code null} when unknown
     */
    public record Located(Finding finding, String file, Integer line) { }

    /** The key of a result's fingerprint in {@code fingerprints}: the finding's own, stable across runs. */
    static final String FINGERPRINT = "schemaRehearsal/v1";

    /**
     * Writes one run of the tool with its findings, in their order. With a history, each result says whether the
     * previous run had it ({@code baselineState} {@code new} or {@code unchanged}), and each finding of the previous
     * run that is gone follows as an {@code absent} result, of kind {@code pass} so that no view counts it as a problem.
     *
     * @param resolved the previous run's findings that are gone, or {@code null} without a history
     */
    public static void write(String toolName, String toolVersion, List<Located> findings, List<Located> resolved,
                             Path file) throws IOException {
        ObjectNode sarif = JsonReport.MAPPER.createObjectNode();
        sarif.put("$schema", SCHEMA).put("version", VERSION);
        ObjectNode run = sarif.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", toolName).put("version", toolVersion);
        List<Located> all = new ArrayList<>(findings);
        if (resolved != null) {
            all.addAll(resolved);
        }
        List<Rule> rules = all.stream().map(l -> l.finding().rule()).distinct().toList();
        ArrayNode ruleNodes = driver.putArray("rules");
        for (Rule rule : rules) {
            ObjectNode node = ruleNodes.addObject().put("id", rule.id());
            node.putObject("defaultConfiguration").put("level", level(rule.defaultSeverity()));
        }
        ArrayNode results = run.putArray("results");
        for (int i = 0; i < all.size(); i++) {
            Located located = all.get(i);
            Finding finding = located.finding();
            boolean absent = i >= findings.size();
            ObjectNode result = results.addObject()
                    .put("ruleId", finding.rule().id())
                    .put("ruleIndex", rules.indexOf(finding.rule()));
            if (absent) {
                result.put("kind", "pass").put("level", "none").put("baselineState", "absent");
            } else {
                result.put("level", level(finding.severity()));
                if (resolved != null) {
                    result.put("baselineState", finding.history() == Novelty.KNOWN ? "unchanged" : "new");
                }
            }
            if (finding.fingerprint() != null) {
                result.putObject("fingerprints").put(FINGERPRINT, finding.fingerprint());
            }
            result.putObject("message").put("text", finding.message());
            ArrayNode locations = result.putArray("locations");
            if (located.file() != null) {
                ObjectNode physical = locations.addObject().putObject("physicalLocation");
                physical.putObject("artifactLocation").put("uri", located.file()).put("uriBaseId", BASE);
                if (located.line() != null) {
                    physical.putObject("region").put("startLine", located.line());
                }
            }
            ObjectNode properties = result.putObject("properties");
            properties.put("migration", finding.migration());
            properties.put("statement", finding.statement());
            properties.put("table", finding.table());
            properties.put("query", finding.query());
        }
        JsonReport.MAPPER.writeValue(file.toFile(), sarif);
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }
}
