package dev.schemarehearsal.harness.api;

/** A progress or status message from a running rehearsal. */
public record RehearsalEvent(Level level, String message) {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    public static RehearsalEvent info(String message) {
        return new RehearsalEvent(Level.INFO, message);
    }

    public static RehearsalEvent warn(String message) {
        return new RehearsalEvent(Level.WARN, message);
    }

    public static RehearsalEvent debug(String message) {
        return new RehearsalEvent(Level.DEBUG, message);
    }
}
