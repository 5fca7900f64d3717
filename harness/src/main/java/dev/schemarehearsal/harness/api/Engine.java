package dev.schemarehearsal.harness.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The database engines a rehearsal can run on. */
public enum Engine {
    POSTGRESQL("postgresql", "16"),
    MYSQL("mysql", "8.0"),
    MARIADB("mariadb", "10.11");

    private final String id;
    private final String defaultVersion;

    Engine(String id, String defaultVersion) {
        this.id = id;
        this.defaultVersion = defaultVersion;
    }

    /** The name users write in {@code <engine>} and the one reports carry. */
    public String id() {
        return id;
    }

    /** The version used when {@code <engineVersion>} is not set. */
    public String defaultVersion() {
        return defaultVersion;
    }

    /**
     * Parses {@code <engine>}.
     *
     * @throws ConfigurationException naming the parameter and the accepted values
     */
    public static Engine parse(String value) {
        for (Engine engine : values()) {
            if (engine.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return engine;
            }
        }
        throw new ConfigurationException("engine", "unknown engine '" + value + "'",
                "use one of " + Arrays.stream(values()).map(Engine::id).collect(Collectors.joining(", ")));
    }
}
