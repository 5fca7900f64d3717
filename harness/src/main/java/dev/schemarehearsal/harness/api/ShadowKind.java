package dev.schemarehearsal.harness.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the shadow database comes from. */
public enum ShadowKind {
    /**
     * {@code server} when a server URL is set, else {@code container} when Docker answers, else {@code embedded}; never
     * {@code clone}, which is asked for by name.
     */
    AUTO,
    /** A Testcontainers container of the engine's image. */
    CONTAINER,
    /** PostgreSQL binaries run as a local process, no Docker needed. */
    EMBEDDED,
    /** A scratch database created on an existing server and dropped at the end. */
    SERVER,
    /** A full-size writable copy of production, from a template database or a command, destroyed at the end. */
    CLONE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code <shadow>}.
     *
     * @throws ConfigurationException naming the parameter and the accepted values
     */
    public static ShadowKind parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("shadow", "unknown shadow '" + value + "'",
                    "use one of " + Arrays.stream(values()).map(ShadowKind::id).collect(Collectors.joining(", ")));
        }
    }
}
