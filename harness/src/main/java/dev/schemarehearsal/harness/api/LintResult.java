package dev.schemarehearsal.harness.api;

import java.util.List;

/**
 * What {@code schema:lint} found in the pending migrations without a database, as written to {@code lint.json}.
 * Immutable.
 *
 * @param engineVersion the production version the rules were applied for
 * @param findings      the findings in force, in file and line order
 * @param ignored       the findings silenced by a {@code -- schema:ignore <rule> <reason>} comment, with the reason
 * @param notAnalysed   statements and locations lint could not read: {@code schema:rehearse} measures them
 * @param records       one record per pending migration: why, who approved it, its last change in git
 * @param failures      the findings that match the {@code failOn} policy and so fail the build
 */
public record LintResult(Engine engine, String engineVersion, List<LintFinding> findings, List<LintFinding> ignored,
                         List<NotAnalysed> notAnalysed, List<MigrationRecord> records, List<LintFinding> failures) {

    public LintResult {
        findings = List.copyOf(findings);
        ignored = List.copyOf(ignored);
        notAnalysed = List.copyOf(notAnalysed);
        records = List.copyOf(records);
        failures = List.copyOf(failures);
    }

    /**
     * A finding at a place in a migration script.
     *
     * @param file          the script's path as the user knows it (relative to the project where it can be)
     * @param line          the statement's first line, 1-based
     * @param ignoredBecause the reason of the {@code schema:ignore} comment that silenced it, else {@code null}
     */
    public record LintFinding(Finding finding, String file, int line, String ignoredBecause) { }

    /**
     * A statement or location lint did not analyse.
     *
     * @param line 1-based, or 0 when the whole location was not read
     */
    public record NotAnalysed(String file, int line, String reason) { }

    /**
     * The record of one pending migration. Fields that can't be had are {@code null}.
     *
     * @param why        the {@code -- why:} header
     * @param approvedBy the {@code -- approved-by:} header
     * @param author     the author of the script's last commit, when the project is a git repository
     * @param date       that commit's date (ISO-8601)
     */
    public record MigrationRecord(String version, String description, String script, String file, String why,
                                  String approvedBy, String author, String date) { }
}
