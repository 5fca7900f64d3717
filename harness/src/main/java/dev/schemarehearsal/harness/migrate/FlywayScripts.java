package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Flyway's versioned scripts in {@code filesystem:} locations, read without a database. */
public final class FlywayScripts {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    private FlywayScripts() {
    }

    /**
     * Checks the baseline against the migration files before any shadow starts, so a typo costs a second, not a
     * container start. Locations other than {@code filesystem:} are checked once the shadow is up.
     */
    public static void checkBaseline(List<String> locations, String baseline) {
        if (locations.stream().anyMatch(l -> !l.startsWith("filesystem:"))) {
            return;
        }
        requireBaseline(locations, new ArrayList<>(versionedScripts(locations).keySet()), baseline);
    }

    /**
     * The versioned migration scripts in the {@code filesystem:} locations, by version; other locations are not
     * read. Those above the baseline are the pending ones, as in the rehearsal.
     */
    public static NavigableMap<MigrationVersion, Path> versionedScripts(List<String> locations) {
        NavigableMap<MigrationVersion, Path> scripts = new TreeMap<>();
        for (String location : locations) {
            if (!location.startsWith("filesystem:")) {
                continue;
            }
            Path folder = Path.of(location.substring("filesystem:".length()));
            if (!Files.isDirectory(folder)) {
                throw new ConfigurationException("locations", "the migration folder " + folder + " does not exist",
                        "set <locations> to the folder that holds V<version>__<description>.sql files");
            }
            try (Stream<Path> files = Files.walk(folder)) {
                files.forEach(f -> {
                    MigrationVersion version = versionOf(f.getFileName().toString());
                    if (version != null) {
                        scripts.put(version, f);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scripts;
    }

    /** The version of a versioned script's file name, e.g. {@code V2_1__x.sql} is 2.1; {@code null} for other files. */
    static MigrationVersion versionOf(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        return m.matches() ? MigrationVersion.fromVersion(m.group(1).replace('_', '.')) : null;
    }

    static void requireBaseline(List<String> locations, List<MigrationVersion> versions, String baseline) {
        if (versions.isEmpty()) {
            throw new ConfigurationException("locations", "no migrations found in " + String.join(", ", locations),
                    "set <locations> to the folder that holds V<version>__<description>.sql files");
        }
        if (!versions.contains(MigrationVersion.fromVersion(baseline))) {
            throw new ConfigurationException("baseline", "no migration has version " + baseline + "; the versions are "
                    + versions.stream().sorted().map(MigrationVersion::getVersion).collect(Collectors.joining(", ")),
                    "set <baseline> to the version production is at");
        }
    }
}
