package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.GitBaseline;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resolves {@code <baseline>git:<ref></baseline>}: the versioned scripts present at the ref (by version, listed with
 * {@code git ls-tree}) are what production has applied; the shadow is migrated up to the highest of them and the
 * rest are pending. Only {@code filesystem:} locations can be compared with a ref.
 */
public final class GitBaselines {
    public static final String PREFIX = "git:";

    private GitBaselines() {
    }

    /**
     * @param locations the Flyway locations, {@code filesystem:} paths already absolute
     * @throws ConfigurationException naming {@code baseline} when git, the repository or the ref is missing, or when
     *                                the pending set could not be applied by production's Flyway as it is
     */
    public static GitBaseline resolve(List<String> locations, String ref) {
        if (ref.isBlank() || ref.startsWith("-")) {
            throw new ConfigurationException("baseline", "'" + PREFIX + ref + "' names no git ref",
                    "write the ref after git:, e.g. <baseline>git:origin/main</baseline>");
        }
        List<String> other = locations.stream().filter(l -> !l.startsWith("filesystem:")).toList();
        if (!other.isEmpty()) {
            throw new ConfigurationException("baseline", "a git: baseline compares migration files with the ref, but "
                    + String.join(", ", other) + " is not a filesystem: location",
                    "use filesystem: locations, or set <baseline> to the version production is at");
        }
        NavigableMap<MigrationVersion, Path> scripts = FlywayScripts.versionedScripts(locations);
        Map<MigrationVersion, String> atRef = new TreeMap<>();
        Set<Path> changed = new HashSet<>();
        for (String location : locations) {
            Path folder = Path.of(location.substring("filesystem:".length()));
            Path top = Path.of(git(folder, ref, "rev-parse", "--show-toplevel").strip());
            git(folder, ref, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
            for (String file : lines(git(folder, ref, "ls-tree", "-r", "--name-only", "--full-name", ref, "--", "."))) {
                MigrationVersion version = FlywayScripts.versionOf(Path.of(file).getFileName().toString());
                if (version != null) {
                    atRef.put(version, file);
                }
            }
            // Committed and uncommitted changes alike: what matters is the file Flyway will read.
            lines(git(folder, ref, "diff", "--name-only", ref, "--", ".")).forEach(f -> changed.add(real(top.resolve(f))));
        }
        if (atRef.isEmpty()) {
            throw new ConfigurationException("baseline", "no migration script under " + folders(locations)
                    + " is present at git ref '" + ref + "', so nothing would be production's schema",
                    "set <baseline> to a ref where production's migrations are committed, or to a version");
        }
        List<String> gone = atRef.keySet().stream().filter(v -> !scripts.containsKey(v)).map(atRef::get).toList();
        if (!gone.isEmpty()) {
            throw new ConfigurationException("baseline", String.join(", ", gone) + " is present at git ref '" + ref
                    + "' (production applied it) but no longer in the working tree: Flyway's validation would fail in "
                    + "production", "restore the file; a migration production has applied is never deleted");
        }
        MigrationVersion baseline = atRef.keySet().stream().max(MigrationVersion::compareTo).orElseThrow();
        List<Map.Entry<MigrationVersion, Path>> pending = scripts.entrySet().stream()
                .filter(e -> !atRef.containsKey(e.getKey())).toList();
        List<String> outOfOrder = pending.stream().filter(e -> e.getKey().compareTo(baseline) < 0)
                .map(e -> e.getValue().getFileName().toString()).toList();
        if (!outOfOrder.isEmpty()) {
            throw new ConfigurationException("baseline", String.join(", ", outOfOrder) + " is not at git ref '" + ref
                    + "' but its version is below V" + baseline.getVersion() + ", which is: production's Flyway "
                    + "refuses it ('Detected resolved migration not applied to database') unless outOfOrder=true, and "
                    + "the rehearsal applies migrations in version order only",
                    "renumber it above V" + baseline.getVersion() + ", or set <baseline> to a version to rehearse "
                            + "the scripts above it");
        }
        List<String> changedApplied = scripts.entrySet().stream()
                .filter(e -> atRef.containsKey(e.getKey()) && changed.contains(real(e.getValue())))
                .map(e -> atRef.get(e.getKey())).toList();
        return new GitBaseline(ref, baseline.getVersion(),
                pending.stream().map(e -> e.getValue().getFileName().toString()).toList(), changedApplied);
    }

    /** Says what a git: baseline resolved to, and warns of applied scripts edited since the ref; nothing for a version. */
    public static void log(GitBaseline git, RehearsalListener listener) {
        if (git == null) {
            return;
        }
        listener.info("Baseline git:" + git.ref() + " is V" + git.version() + ", the highest version present at "
                + git.ref() + "; pending: " + (git.pending().isEmpty() ? "none" : String.join(", ", git.pending())));
        git.changedSinceRef().forEach(file -> listener.warn(file + " changed since " + git.ref() + ": production "
                + "applied the old content and Flyway's checksum validation will fail there; the rehearsal applies "
                + "the new content as if it were production's. Revert the change and put it in a new migration"));
    }

    private static String folders(List<String> locations) {
        return locations.stream().map(l -> l.substring("filesystem:".length())).collect(Collectors.joining(", "));
    }

    private static List<String> lines(String output) {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize(); // deleted in the working tree
        }
    }

    /** Runs git in the folder; any failure is the baseline's, since git is only asked because of it. */
    private static String git(Path folder, String ref, String... arguments) {
        Git.Output output;
        try {
            output = Git.run(folder, arguments);
        } catch (IOException e) {
            throw new ConfigurationException("baseline", "<baseline>" + PREFIX + ref + "</baseline> needs the git "
                    + "command line, which failed (" + e.getMessage() + ")",
                    "install git and put it on the PATH, or set <baseline> to the version production is at", e);
        }
        if (!output.ok()) {
            throw failure(folder, ref, arguments[0], output.stderr());
        }
        return output.stdout();
    }

    private static ConfigurationException failure(Path folder, String ref, String step, String stderr) {
        if (step.equals("rev-parse") && stderr.contains("not a git repository")) {
            return new ConfigurationException("baseline", "<baseline>" + PREFIX + ref + "</baseline>: " + folder
                    + " is not in a git repository", "run in a git checkout of the project, or set <baseline> to "
                    + "the version production is at");
        }
        if (step.equals("rev-parse")) {
            return new ConfigurationException("baseline", "<baseline>" + PREFIX + ref + "</baseline>: '" + ref
                    + "' is not a commit in the repository of " + folder + (stderr.isEmpty() ? "" : " (" + stderr + ")"),
                    "name an existing branch, tag or commit (fetch it first in a shallow CI checkout, e.g. "
                            + "git fetch origin main), or set <baseline> to a version");
        }
        return new ConfigurationException("baseline", "<baseline>" + PREFIX + ref + "</baseline>: git " + step
                + " failed in " + folder + ": " + stderr, "set <baseline> to the version production is at");
    }
}
