package dev.schemarehearsal.harness.api;

/**
 * Base of the typed errors the harness raises; each one says what is wrong and how to fix it. The message and the
 * fix are {@linkplain Secrets#redact redacted}: they often name a server by its URL, or quote a driver's error.
 */
public abstract class RehearsalException extends RuntimeException {
    private final String fix;

    protected RehearsalException(String message, String fix, Throwable cause) {
        super(Secrets.redact(message), cause);
        this.fix = Secrets.redact(fix);
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
