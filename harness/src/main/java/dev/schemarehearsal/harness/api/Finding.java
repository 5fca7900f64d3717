package dev.schemarehearsal.harness.api;

/**
 * Something the rehearsal found. The location fields that don't apply are {@code null}.
 *
 * @param migration   the migration's version, e.g. {@code 4}
 * @param statement   the statement's 1-based index within its migration
 * @param impactMs    how long it would block production's reads or writes, estimated at production size (measured
 *                    on the shadow without an estimate); 0 when it blocks neither
 * @param fingerprint what tells the same finding in another run: a hash of its rule, migration script, statement
 *                    index, table and query (never its message, whose figures change from run to run); {@code null}
 *                    until the rehearsal's report assigns it
 * @param history     whether it was in the previous run of the branch; {@code null} without a history
 */
public record Finding(Rule rule, Severity severity, String migration, Integer statement, String table, String query,
                      String message, long impactMs, String fingerprint, Novelty history) {

    /** A finding as first found: blocking nothing, or its impact not known yet; no fingerprint, no history yet. */
    public Finding(Rule rule, Severity severity, String migration, Integer statement, String table, String query,
                   String message) {
        this(rule, severity, migration, statement, table, query, message, 0, null, null);
    }

    /** A finding about a migration, at the rule's default severity. */
    public static Finding ofMigration(Rule rule, String migration, Integer statement, String table, String message) {
        return new Finding(rule, rule.defaultSeverity(), migration, statement, table, null, message);
    }

    /** The same finding with its impact on production. */
    public Finding withImpact(long impactMs) {
        return new Finding(rule, severity, migration, statement, table, query, message, impactMs, fingerprint, history);
    }

    /** The same finding with its fingerprint. */
    public Finding withFingerprint(String fingerprint) {
        return new Finding(rule, severity, migration, statement, table, query, message, impactMs, fingerprint, history);
    }

    /** The same finding marked new or known. */
    public Finding withHistory(Novelty history) {
        return new Finding(rule, severity, migration, statement, table, query, message, impactMs, fingerprint, history);
    }
}
