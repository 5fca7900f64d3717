package dev.schemarehearsal.harness.api;

/** Receives a rehearsal's events; build tools forward them to their log. Called from the rehearsal's thread. */
@FunctionalInterface
public interface RehearsalListener {
    RehearsalListener NONE = event -> { };

    void on(RehearsalEvent event);

    default void info(String message) {
        on(RehearsalEvent.info(message));
    }

    default void warn(String message) {
        on(RehearsalEvent.warn(message));
    }

    default void debug(String message) {
        on(RehearsalEvent.debug(message));
    }
}
