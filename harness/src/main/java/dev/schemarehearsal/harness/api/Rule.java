package dev.schemarehearsal.harness.api;

import java.util.Locale;

/** The stable rule ids of findings. Each is documented in the README with an example and the safe alternative. */
public enum Rule {
    TABLE_REWRITE(Severity.ERROR),
    BLOCKING_LOCK(Severity.ERROR),
    LONG_LOCK_AT_SCALE(Severity.ERROR),
    INDEX_NOT_CONCURRENT(Severity.WARNING),
    VOLATILE_DEFAULT(Severity.ERROR),
    NOT_NULL_SCAN(Severity.WARNING),
    CONSTRAINT_VALIDATION_SCAN(Severity.WARNING),
    DESTRUCTIVE_CHANGE(Severity.WARNING),
    BREAKING_RENAME(Severity.WARNING),
    STALE_DEPENDENT_DATA(Severity.WARNING),
    NON_ATOMIC_MIGRATION(Severity.WARNING),
    NOT_IDEMPOTENT(Severity.WARNING),
    MISSING_LOCK_TIMEOUT(Severity.WARNING),
    MIGRATION_FAILED(Severity.ERROR),
    BACKFILL_UNVERIFIED(Severity.ERROR),
    BACKFILL_SLOW(Severity.WARNING),
    PLAN_REGRESSION(Severity.ERROR),
    PLAN_CHANGED(Severity.INFO),
    MISSING_RATIONALE(Severity.ERROR);

    private final Severity defaultSeverity;

    Rule(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    /** The id users write in {@code failOn} and reports carry, e.g. {@code table-rewrite}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** The rule with this id, or {@code null}. */
    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id().equals(id)) {
                return rule;
            }
        }
        return null;
    }
}
