package dev.schemarehearsal.harness.api;

/** Base of the typed errors the harness raises; each one says what is wrong and how to fix it. */
public abstract class RehearsalException extends RuntimeException {
    private final String fix;

    protected RehearsalException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    /** What the user can do about it. */
    public String fix() {
        return fix;
    }

    /** The problem and the fix in one text, ready for a log. */
    public String describe() {
        return getMessage() + (fix == null ? "" : ". Fix: " + fix);
    }
}
