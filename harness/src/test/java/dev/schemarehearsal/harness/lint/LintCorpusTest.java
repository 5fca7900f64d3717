package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lint on a corpus of real-world Flyway scripts (src/test/resources/lint/corpus): multi-statement scripts as
 * open-source projects write them, with columns named key, fulltext, value, type, order and user, FULLTEXT indexes,
 * table options, generated columns, partial indexes, renames, enum and set types, dollar-quoted functions and
 * triggers, DO blocks, extensions, comments, grants, sequences, seed data with escaped quotes, MySQL procedures and
 * triggers as Flyway runs them (no DELIMITER), versioned comments and block comments between statements. V1 is the
 * baseline; every other script is pending. LintCorpusIT applies the same scripts on PostgreSQL 15 and MariaDB 10.11.
 */
class LintCorpusTest {
    /** The tables the pending scripts create (under their last names): nothing on them may be flagged. */
    private static final Set<String> POSTGRES_NEW = Set.of("page_revisions", "search_documents", "tags", "page_tags",
            "notifications", "api_keys", "workspace_preferences", "comments", "audit_log", "audit_log_2026");
    private static final Set<String> MARIADB_NEW = Set.of("order", "order_line", "product_text", "api_key",
            "sequence_value", "order_history", "discount_code", "review");

    @Test
    void postgresCorpusIsReadWholeAndOnlyPreExistingTablesAreFlagged() {
        LintResult result = lint("postgresql", "15");
        assertThat(result.notAnalysed()).isEmpty();
        assertThat(result.findings()).noneMatch(f -> POSTGRES_NEW.contains(f.finding().table()));
        assertThat(result.findings()).extracting(LintCorpusTest::where).containsExactly(
                // CREATE TRIGGER takes SHARE ROW EXCLUSIVE on pages, which existed before.
                "V11__audit_log.sql:26 missing-lock-timeout pages warning",
                "V12__housekeeping.sql:6 table-rewrite accounts warning",
                // settings existed before: code still using it breaks (the lock timeout is set).
                "V8__rename_settings.sql:3 breaking-rename settings warning");
        assertThat(result.findings().get(1).finding().message()).contains("unless TimeZone is UTC");
    }

    @Test
    void mariadbCorpusIsReadWholeAndOnlyPreExistingTablesAreFlagged() {
        LintResult result = lint("mariadb", "10.11");
        assertThat(result.notAnalysed()).isEmpty();
        assertThat(result.findings()).noneMatch(f -> MARIADB_NEW.contains(f.finding().table()));
        assertThat(result.findings()).extracting(LintCorpusTest::where).containsExactly(
                "V10__user_profile.sql:2 missing-lock-timeout user warning",
                "V10__user_profile.sql:3 table-rewrite user error",
                "V10__user_profile.sql:3 missing-lock-timeout user warning",
                "V10__user_profile.sql:4 missing-lock-timeout user warning",
                "V10__user_profile.sql:5 index-not-concurrent user warning",
                "V10__user_profile.sql:5 missing-lock-timeout user warning",
                "V7__rename_config.sql:3 breaking-rename config warning");
        // A stored generated column on MariaDB: MariaDB's alternative, not PostgreSQL's nor a default's.
        assertThat(result.findings().get(1).finding().message()).contains("VIRTUAL", "gh-ost")
                .doesNotContain("pg_repack", "set the default");
    }

    private static LintResult lint(String engine, String version) {
        Path corpus = Path.of("src/test/resources/lint/corpus", engine).toAbsolutePath();
        return Lint.run(Rehearsal.configure().projectDirectory(corpus).engine(engine).engineVersion(version)
                .locations(List.of("filesystem:.")).baseline("1").load().config());
    }

    private static String where(LintFinding finding) {
        Severity severity = finding.finding().severity();
        return finding.file() + ":" + finding.line() + " " + finding.finding().rule().id() + " "
                + finding.finding().table() + " " + severity.name().toLowerCase(java.util.Locale.ROOT);
    }
}
