package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.RehearsalResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every output of a rehearsal into the report directory. */
public final class Reports {
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    public static final String LINT_JSON = "lint.json";

    private Reports() {
    }

    /** Writes the outputs; returns their paths. */
    public static List<Path> write(RehearsalResult result, Path directory) {
        try {
            Files.createDirectories(directory);
            Path json = directory.resolve(JSON);
            Path html = directory.resolve(HTML);
            JsonReport.write(result, json);
            HtmlReport.write(result, html);
            return List.of(html, json);
        } catch (IOException e) {
            throw new InfrastructureException("could not write the reports to " + directory + ": " + e.getMessage(),
                    "check <reportDirectory> is writable", e);
        }
    }

    /** Writes {@code lint.json}; returns its path. */
    public static Path writeLint(LintResult result, Path directory) {
        try {
            Files.createDirectories(directory);
            Path json = directory.resolve(LINT_JSON);
            JsonReport.MAPPER.writeValue(json.toFile(), result);
            return json;
        } catch (IOException e) {
            throw new InfrastructureException("could not write " + LINT_JSON + " to " + directory + ": " + e.getMessage(),
                    "check <reportDirectory> is writable", e);
        }
    }
}
