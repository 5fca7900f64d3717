package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Disagreement;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where lint and the rehearsal's measurement disagree, statement by statement. Both count statements as Flyway
 * splits the script, so a statement is the same migration version and index on both sides. Only the rules both
 * decide for every statement are compared: {@code blocking-lock} depends on durations lint can't know.
 */
public final class Agreement {
    private static final List<Rule> COMPARED = List.of(Rule.TABLE_REWRITE, Rule.VOLATILE_DEFAULT,
            Rule.INDEX_NOT_CONCURRENT, Rule.NOT_NULL_SCAN, Rule.CONSTRAINT_VALIDATION_SCAN, Rule.DESTRUCTIVE_CHANGE,
            Rule.BREAKING_RENAME, Rule.MISSING_LOCK_TIMEOUT);

    private Agreement() {
    }

    public static List<Disagreement> compare(LintResult lint, List<MigrationResult> migrations, List<Finding> measured) {
        List<Disagreement> disagreements = new ArrayList<>();
        for (MigrationResult migration : migrations) {
            for (StatementResult statement : migration.statements()) {
                if (statement.error() != null) {
                    continue;
                }
                for (Rule rule : COMPARED) {
                    if (rule == Rule.MISSING_LOCK_TIMEOUT && statement.lockTimeoutMs() == null) {
                        continue; // the engine's lock timeout is not measured
                    }
                    Optional<Finding> said = Stream.concat(lint.findings().stream(), lint.ignored().stream())
                            .map(LintFinding::finding)
                            .filter(f -> at(f, migration, statement, rule)).findFirst();
                    Optional<Finding> seen = measured.stream().filter(f -> at(f, migration, statement, rule)).findFirst();
                    boolean unsure = said.isPresent() && said.get().severity() == Severity.INFO;
                    if (unsure ? seen.isPresent() : said.isPresent() != seen.isPresent()) {
                        disagreements.add(new Disagreement(migration.version(), statement.index(), statement.line(),
                                statement.sql(), rule, said.map(Finding::message).orElse("no finding"),
                                seen.map(Finding::message).orElse("not observed")));
                    }
                }
            }
        }
        return disagreements;
    }

    private static boolean at(Finding finding, MigrationResult migration, StatementResult statement, Rule rule) {
        return finding.rule() == rule && Objects.equals(finding.migration(), migration.version())
                && Objects.equals(finding.statement(), statement.index());
    }
}
