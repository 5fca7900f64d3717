package dev.schemarehearsal.harness.api;

/**
 * Something the rehearsal found. The location fields that don't apply are {@code null}.
 *
 * @param migration the migration's version, e.g. {@code 4}
 * @param statement the statement's 1-based index within its migration
 * @param impactMs  how long it would block production's reads or writes, estimated at production size (measured
 *                  on the shadow without an estimate); 0 when it blocks neither
 */
public record Finding(Rule rule, Severity severity, String migration, Integer statement, String table, String query,
                      String message, long impactMs) {

    /** A finding that blocks nothing, or whose impact is not known yet. */
    public Finding(Rule rule, Severity severity, String migration, Integer statement, String table, String query,
                   String message) {
        this(rule, severity, migration, statement, table, query, message, 0);
    }

    /** A finding about a migration, at the rule's default severity. */
    public static Finding ofMigration(Rule rule, String migration, Integer statement, String table, String message) {
        return new Finding(rule, rule.defaultSeverity(), migration, statement, table, null, message);
    }

    /** The same finding with its impact on production. */
    public Finding withImpact(long impactMs) {
        return new Finding(rule, severity, migration, statement, table, query, message, impactMs);
    }
}
