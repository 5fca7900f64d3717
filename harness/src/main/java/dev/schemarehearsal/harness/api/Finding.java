package dev.schemarehearsal.harness.api;

/**
 * Something the rehearsal found. The location fields that don't apply are {@code null}.
 *
 * @param migration the migration's version, e.g. {@code 4}
 * @param statement the statement's 1-based index within its migration
 */
public record Finding(Rule rule, Severity severity, String migration, Integer statement, String table, String query,
                      String message) {

    /** A finding about a migration, at the rule's default severity. */
    public static Finding ofMigration(Rule rule, String migration, Integer statement, String table, String message) {
        return new Finding(rule, rule.defaultSeverity(), migration, statement, table, null, message);
    }
}
