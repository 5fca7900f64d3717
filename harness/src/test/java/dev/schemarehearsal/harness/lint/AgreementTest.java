package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Disagreement;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AgreementTest {
    private static final String FILE = "src/main/resources/db/migration/V2__x.sql";

    @Test
    void listsEachRuleOnWhichLintAndMeasurementDisagree() {
        MigrationResult migration = new MigrationResult("2", "x", "V2__x.sql", MigrationStatus.APPLIED, 30, null, List.of(
                statement(1, "ALTER TABLE orders ALTER COLUMN total TYPE bigint", 0L),
                statement(2, "CREATE INDEX i ON orders (code)", null),
                statement(3, "ALTER TABLE orders ADD COLUMN c int DEFAULT f()", 0L)));
        LintResult lint = lint(
                said(Rule.TABLE_REWRITE, Severity.ERROR, 1, "rewrites orders"),
                said(Rule.MISSING_LOCK_TIMEOUT, Severity.WARNING, 1, "no lock timeout"),
                said(Rule.MISSING_LOCK_TIMEOUT, Severity.WARNING, 2, "no lock timeout"),
                said(Rule.VOLATILE_DEFAULT, Severity.INFO, 3, "cannot tell"));
        List<Finding> measured = List.of(
                Finding.ofMigration(Rule.MISSING_LOCK_TIMEOUT, "2", 1, "orders", "measured: no lock timeout"),
                Finding.ofMigration(Rule.INDEX_NOT_CONCURRENT, "2", 2, "orders", "measured: index blocked writes"));

        List<Disagreement> disagreements = Agreement.compare(lint, List.of(migration), measured);

        // Statement 1: rewrite predicted, not observed; the lock timeout agrees. Statement 2: the index was only
        // measured, and MySQL-style statements whose lock timeout isn't read are not compared. Statement 3: lint
        // could not tell and nothing was measured, which is no disagreement.
        assertThat(disagreements).extracting(Disagreement::statement, Disagreement::rule, Disagreement::lint,
                Disagreement::measurement).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, Rule.TABLE_REWRITE, "rewrites orders", "not observed"),
                org.assertj.core.groups.Tuple.tuple(2, Rule.INDEX_NOT_CONCURRENT, "no finding", "measured: index blocked writes"));
    }

    @Test
    void lintThatCouldNotTellDisagreesWithAMeasuredFinding() {
        MigrationResult migration = new MigrationResult("2", "x", "V2__x.sql", MigrationStatus.APPLIED, 30, null,
                List.of(statement(1, "ALTER TABLE orders ADD COLUMN c int DEFAULT f()", null)));
        List<Disagreement> disagreements = Agreement.compare(lint(said(Rule.VOLATILE_DEFAULT, Severity.INFO, 1,
                "cannot tell")), List.of(migration), List.of(Finding.ofMigration(Rule.VOLATILE_DEFAULT, "2", 1, "orders",
                "measured: rewrote orders")));
        assertThat(disagreements).singleElement().extracting(Disagreement::lint).isEqualTo("cannot tell");
    }

    private static StatementResult statement(int index, String sql, Long lockTimeoutMs) {
        return new StatementResult(index, index + 2, sql, 10, List.of(), List.of(), List.of(), List.of(), 0, null,
                lockTimeoutMs, false, null);
    }

    private static LintFinding said(Rule rule, Severity severity, int statement, String message) {
        return new LintFinding(new Finding(rule, severity, "2", statement, "orders", null, message), FILE, statement + 2, null);
    }

    private static LintResult lint(LintFinding... findings) {
        return new LintResult(Engine.POSTGRESQL, "16", List.of(findings), List.of(), List.of(), List.of(), List.of());
    }
}
