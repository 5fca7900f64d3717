package dev.schemarehearsal.harness.api;

/**
 * A statement where {@code schema:lint} and the rehearsal's measurement disagree about a rule. The measurement wins;
 * the list shows where the static rules need work.
 *
 * @param statement   the statement's 1-based index within its migration
 * @param line        its first line in the script, or {@code null}
 * @param lint        what lint said, or {@code "no finding"}
 * @param measurement what the rehearsal measured, or {@code "not observed"}
 */
public record Disagreement(String migration, int statement, Integer line, String sql, Rule rule, String lint,
                           String measurement) { }
