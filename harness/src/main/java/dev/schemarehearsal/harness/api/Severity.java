package dev.schemarehearsal.harness.api;

/** How bad a finding is, from worst to mildest. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** True when this severity is the given one or worse. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
