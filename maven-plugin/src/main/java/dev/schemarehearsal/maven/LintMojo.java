package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.lint.Lint;
import dev.schemarehearsal.harness.migrate.GitBaselines;
import dev.schemarehearsal.harness.report.Reports;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Static analysis of the pending migrations, without a database: one line per finding
 * ({@code file:line: severity rule: message}), {@code lint.json} in the report directory, and a build failure as
 * {@code failOn} says.
 */
@Mojo(name = "lint", threadSafe = true)
public class LintMojo extends PendingMigrationsMojo {

    @Override
    String work() {
        return "lint";
    }

    @Override
    void run(RehearsalListener listener) throws MojoFailureException {
        RehearsalConfig config = configureShared().load().config();
        GitBaselines.log(config.migrations().gitBaseline(), listener);
        LintResult result = Lint.run(config);
        List<Path> reports = Reports.writeLint(result, RehearsalResult.Tool.harness(),
                reportDirectory.toPath());
        for (LintFinding finding : result.findings()) {
            String line = finding.file() + ":" + finding.line() + ": " + severity(finding.finding().severity()) + " "
                    + finding.finding().rule().id() + ": " + finding.finding().message();
            switch (finding.finding().severity()) {
                case ERROR -> getLog().error(line);
                case WARNING -> getLog().warn(line);
                case INFO -> getLog().info(line);
            }
        }
        for (LintFinding finding : result.ignored()) {
            getLog().info(finding.file() + ":" + finding.line() + ": ignored " + finding.finding().rule().id()
                    + " (" + finding.ignoredBecause() + "): " + finding.finding().message());
        }
        for (LintResult.NotAnalysed skipped : result.notAnalysed()) {
            getLog().warn(skipped.file() + ":" + skipped.line() + ": " + skipped.reason());
        }
        getLog().info("Schema lint (" + result.engine().id() + " " + result.engineVersion() + "): "
                + result.records().size() + " pending migration(s), " + result.findings().size() + " finding(s), "
                + result.ignored().size() + " ignored, " + result.notAnalysed().size() + " not analysed. Reports: "
                + reports.stream().map(Path::toString).collect(Collectors.joining(", ")));
        if (!result.failures().isEmpty()) {
            LintFinding first = result.failures().get(0);
            throw new MojoFailureException("Schema lint failed: " + result.failures().size() + " finding(s) match <failOn>"
                    + failOn + "</failOn>. First: " + first.file() + ":" + first.line() + ": "
                    + first.finding().rule().id() + ": " + first.finding().message());
        }
    }

    private static String severity(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }
}
