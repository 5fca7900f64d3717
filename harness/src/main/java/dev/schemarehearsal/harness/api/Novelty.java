package dev.schemarehearsal.harness.api;

/** Whether a finding was present in the previous run of the same branch, by its fingerprint (with a history). */
public enum Novelty {
    /** Not in the previous run: something changed since. */
    NEW,
    /** In the previous run too. */
    KNOWN
}
