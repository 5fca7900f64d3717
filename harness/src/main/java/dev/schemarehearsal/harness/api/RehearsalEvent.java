package dev.schemarehearsal.harness.api;

import java.time.Duration;

/**
 * A progress or status message from a running rehearsal. The message is {@linkplain Secrets#redact redacted}.
 *
 * @param progress how far a long stage has come, or {@code null} for a plain message
 */
public record RehearsalEvent(Level level, String message, Progress progress) {

    public RehearsalEvent {
        message = Secrets.redact(message);
    }

    public enum Level { DEBUG, INFO, WARN, ERROR }

    public RehearsalEvent(Level level, String message) {
        this(level, message, null);
    }

    /**
     * Where a long task stands.
     *
     * @param task          what runs, e.g. {@code load public.orders}
     * @param rows          rows done so far
     * @param percent       share of the input done, 0 to 100
     * @param rowsPerSecond rows per second since the task started
     * @param eta           estimated time left
     */
    public record Progress(String task, long rows, double percent, double rowsPerSecond, Duration eta) { }

    public static RehearsalEvent info(String message) {
        return new RehearsalEvent(Level.INFO, message);
    }

    public static RehearsalEvent warn(String message) {
        return new RehearsalEvent(Level.WARN, message);
    }

    public static RehearsalEvent debug(String message) {
        return new RehearsalEvent(Level.DEBUG, message);
    }

    /** A progress report, at INFO level, with its figures in words as the message. */
    public static RehearsalEvent progress(Progress progress) {
        return new RehearsalEvent(Level.INFO, String.format("%s: %,d rows, %.0f%%, %,.0f rows/s, about %ds left",
                progress.task(), progress.rows(), progress.percent(), progress.rowsPerSecond(),
                progress.eta().toSeconds()), progress);
    }
}
