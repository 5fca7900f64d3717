package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
     * What an SQL migration without a statement means, for the rehearsal's log and lint's output: Flyway applies it
     * without a word, so a script saved empty by mistake would pass unnoticed.
     *
     * @param version the migration's version, {@code null} for a repeatable one
     */
    public static String emptyScript(String version) {
        return "no statement, only comments or blank lines: nothing to rehearse; Flyway applies it as a no-op and "
                + (version == null ? "records it" : "records version " + version) + " as applied. Fix: write its "
                + "statements, or remove the file if it is not meant as a migration";
    }

    /**
     * The versioned migration scripts in the {@code filesystem:} locations, by version; other locations are not
     * read. Those above the baseline are the pending ones, as in the rehearsal.
     *
     * @throws ConfigurationException when two scripts have one version ({@code V2__a.sql} and {@code V2.0__b.sql}, or
     *                                one name in two locations), which Flyway refuses
     */
    public static NavigableMap<MigrationVersion, Path> versionedScripts(List<String> locations) {
        NavigableMap<MigrationVersion, Path> scripts = new TreeMap<>();
        List<Path> duplicate = new ArrayList<>();
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
                    Path other = version == null ? null : scripts.putIfAbsent(version, f);
                    // Flyway reads a location listed twice, or inside another, once: the same file is no duplicate.
                    if (other != null && duplicate.isEmpty() && !sameFile(other, f)) {
                        duplicate.addAll(List.of(other, f));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!duplicate.isEmpty()) {
            String version = versionOf(duplicate.get(0).getFileName().toString()).getVersion();
            String name = duplicate.get(1).getFileName().toString();
            String renamed = "V" + scripts.lastKey().getMajor().add(BigInteger.ONE)
                    + name.substring(name.indexOf("__"));
            throw new ConfigurationException("locations", "two migrations have version " + version + ": "
                    + duplicate.get(0) + " and " + duplicate.get(1) + ", and Flyway refuses to migrate with both "
                    + "(Found more than one migration with version " + version + ")",
                    "give one of them a version above the highest, " + scripts.lastKey().getVersion() + " (e.g. rename "
                            + name + " to " + renamed + "), or remove it if it is a copy");
        }
        return scripts;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The version of a versioned script's file name, e.g. {@code V2_1__x.sql} is 2.1; {@code null} for other files. */
    static MigrationVersion versionOf(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        return m.matches() ? MigrationVersion.fromVersion(m.group(1).replace('_', '.')) : null;
    }

    /** The baseline as a version: {@link MigrationVersion#EMPTY}, below every version, for {@code none}. */
    public static MigrationVersion baselineVersion(String baseline) {
        return RehearsalConfig.Migrations.NONE.equals(baseline) ? MigrationVersion.EMPTY
                : MigrationVersion.fromVersion(baseline);
    }

    static void requireBaseline(List<String> locations, List<MigrationVersion> versions, String baseline) {
        if (versions.isEmpty()) {
            throw new ConfigurationException("locations", "no migrations found in " + String.join(", ", locations),
                    "set <locations> to the folder that holds V<version>__<description>.sql files");
        }
        if (!versions.contains(baselineVersion(baseline)) && !RehearsalConfig.Migrations.NONE.equals(baseline)) {
            throw new ConfigurationException("baseline", "no migration has version " + baseline + "; the versions are "
                    + versions.stream().sorted().map(MigrationVersion::getVersion).collect(Collectors.joining(", ")),
                    "set <baseline> to the version production is at, or to none when production has none of "
                            + "them yet");
        }
    }
}
