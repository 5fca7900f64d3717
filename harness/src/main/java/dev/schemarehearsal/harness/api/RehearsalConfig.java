package dev.schemarehearsal.harness.api;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What to rehearse and where, in groups: each stage of a rehearsal reads the groups it needs. Built and validated by
 * {@code Rehearsal.configure()}; relative paths have been resolved against {@link #projectDirectory()}. The defaults
 * are the constants of the groups: the builder starts from them, and the Maven plugin's parameters and the README's
 * tables are checked against them.
 */
public record RehearsalConfig(Path projectDirectory, Shadow shadow, Migrations migrations, Data data, Limits limits,
                              Plans plans, Backfills backfills, Outputs outputs, History history) {

    /** The same settings with the baseline known: on a clone it may be read from the clone itself. */
    public RehearsalConfig withBaseline(String baseline) {
        return new RehearsalConfig(projectDirectory, shadow, new Migrations(migrations.locations(), baseline,
                migrations.gitBaseline(), migrations.requireRationale()), data, limits, plans, backfills, outputs, history);
    }

    /**
     * The shadow database.
     *
     * @param kind      where it comes from; {@code auto} is resolved when it starts
     * @param image     the container image, or {@code null} for the engine's official image at {@code engineVersion}
     * @param serverUrl the JDBC URL of an existing server for {@code shadow=server}, else {@code null}
     * @param binaries  resolves embedded PostgreSQL binaries
     * @param cloning   where a full-size copy of production comes from for {@code shadow=clone}
     */
    public record Shadow(Engine engine, String engineVersion, ShadowKind kind, String image, String serverUrl,
                         String serverUser, String serverPassword, EmbeddedBinaries binaries, Clone cloning) {
        public static final Engine ENGINE = Engine.POSTGRESQL;
        public static final ShadowKind KIND = ShadowKind.AUTO;

        /** Whether the shadow is a full-size copy of production: its data, schema and statistics are production's. */
        public boolean isClone() {
            return kind == ShadowKind.CLONE;
        }
    }

    /**
     * A full-size writable copy of production, made by the server from a template or by a command; one of
     * {@code template} and {@code command} is set for {@code shadow=clone}.
     *
     * @param template       a database on the PostgreSQL server at {@code serverUrl}, copied with
     *                       {@code CREATE DATABASE ... TEMPLATE}, else {@code null}
     * @param command        the command that makes a clone, its program first, else empty; the last line it prints is
     *                       the clone's JDBC URL
     * @param destroyCommand the command that destroys it, else empty
     * @param timeoutSeconds how long each command may run
     */
    public record Clone(String template, List<String> command, List<String> destroyCommand, long timeoutSeconds) {
        public static final long TIMEOUT_SECONDS = 600;
        public static final Clone NONE = new Clone(null, List.of(), List.of(), TIMEOUT_SECONDS);

        public Clone {
            command = List.copyOf(command);
            destroyCommand = List.copyOf(destroyCommand);
        }
    }

    /**
     * The migrations and which of them are pending.
     *
     * @param locations        Flyway locations, e.g. {@code filesystem:/abs/src/main/resources/db/migration}
     * @param baseline         the version production is at; migrations above it are pending (a {@code git:} baseline
     *                         is resolved to the highest version present at the ref); {@link #NONE}: every one is
     *                         pending, rehearsed from an empty database; {@code null} on a clone whose record of
     *                         applied migrations says it
     * @param gitBaseline      how a {@code git:<ref>} baseline resolved to {@link #baseline()}, else {@code null}
     * @param requireRationale whether every pending migration must carry {@code -- why:} and {@code -- approved-by:}
     */
    public record Migrations(List<String> locations, String baseline, GitBaseline gitBaseline, boolean requireRationale) {
        public static final String LOCATION = "filesystem:src/main/resources/db/migration";
        /** The baseline of a production that has none of the migrations yet. */
        public static final String NONE = "none";

        public Migrations {
            locations = List.copyOf(locations);
        }

        /** Whether every migration is pending: the shadow starts empty. */
        public boolean fromEmpty() {
            return NONE.equals(baseline);
        }
    }

    /**
     * The sample data and production's statistics.
     *
     * @param directory  one CSV file per table; {@code null} with the baseline {@code none}, which loads nothing
     * @param nullMarker the unquoted CSV field that means NULL, or {@code null} for the default rule (an empty
     *                   unquoted field is NULL, a quoted empty field is the empty string)
     * @param encoding   the CSV files' character encoding
     * @param scale      how far to grow the loaded sample, or {@code null}
     * @param statistics production's statistics snapshot, or {@code null} when there is none (always with the
     *                   baseline {@code none})
     */
    public record Data(Path directory, String nullMarker, Charset encoding, Scale scale, Path statistics) {
        public static final Path DIRECTORY = Path.of("src/rehearsal/data");
        public static final Charset ENCODING = StandardCharsets.UTF_8;
        /** Used when it exists. */
        public static final Path STATISTICS = Path.of("src/rehearsal/stats.json");
    }

    /**
     * What is acceptable, and which findings fail the build.
     *
     * @param maxLockMs     the longest acceptable lock blocking reads or writes
     * @param maxStallMs    the longest acceptable probe stall
     * @param maxBackfillMs the longest acceptable backfill at production size, or {@code null} for no limit
     */
    public record Limits(FailOn failOn, long maxLockMs, long maxStallMs, Long maxBackfillMs) {
        public static final long MAX_LOCK_MS = 1000;
        public static final long MAX_STALL_MS = 500;
    }

    /**
     * The workload's query plans.
     *
     * @param queries         the workload file ({@code queries.sql}), or {@code null} when there is none
     * @param productionPlans production's plans of the queries ({@code plans.json}), or {@code null} when there are none
     * @param analyze         whether the queries' plans are taken with EXPLAIN ANALYZE (timed, repeated) as well
     * @param thresholds      when a query's plan counts as worse
     * @param maxPaddingMb    the most storage, in MB, written to pad the loaded tables towards production's page counts
     *                        for the plans; 0 turns the padding off
     */
    public record Plans(Path queries, Path productionPlans, boolean analyze, PlanThresholds thresholds,
                        long maxPaddingMb) {
        /** Used when it exists. */
        public static final Path QUERIES = Path.of("src/rehearsal/queries.sql");
        /** The {@code queries} value that turns the workload off, even when {@link #QUERIES} exists. */
        public static final String NONE = "none";
        /** Used when it exists. */
        public static final Path PRODUCTION_PLANS = Path.of("src/rehearsal/plans.json");
        public static final long MAX_PADDING_MB = 256;
    }

    /**
     * The backfills.
     *
     * @param folder      the folder of backfill files ({@code *.sql}); it may be absent
     * @param inCode      backfills written in Java, run besides the files
     * @param adviseBatch whether to try several batch sizes per backfill and recommend one
     * @param sampleSeconds the time box of a backfill at full size: batches spread across the key range run until it
     *                    ends and the total is extrapolated; 0 runs every batch
     */
    public record Backfills(Path folder, List<Backfill> inCode, boolean adviseBatch, long sampleSeconds) {
        /** May be absent. */
        public static final Path FOLDER = Path.of("src/rehearsal/backfills");
        /** The time box on a clone; elsewhere backfills run whole unless one is set. */
        public static final long SAMPLE_SECONDS_ON_CLONE = 60;

        public Backfills {
            inCode = List.copyOf(inCode);
        }
    }

    /** Where the reports go. */
    public record Outputs(Path reportDirectory) {
        public static final Path REPORT_DIRECTORY = Path.of("target/schema-rehearsal");
    }

    /**
     * The history of runs each rehearsal appends one record to ({@code history}); {@code null} in the configuration
     * when there is none (the default).
     *
     * @param folder   a folder of one JSON file per run, or {@code null} for a database
     * @param url      the JDBC URL of a PostgreSQL or MySQL/MariaDB database, or {@code null} for a folder
     * @param user     the database's user, or {@code null} for the URL's own
     * @param password the database's password, or {@code null} for the URL's own
     * @param keep     how many runs of each branch are kept; older ones are deleted as a run is appended
     */
    public record History(Path folder, String url, String user, String password, int keep) {
        /** The folder {@code history=true} means, relative to the project. */
        public static final Path FOLDER = Path.of(".schema-rehearsal/history");
        public static final int KEEP = 90;
        private static final String URL = "jdbc:";

        public History {
            if (keep < 1) {
                throw new ConfigurationException("historyKeep", "historyKeep is " + keep + ": every run appended "
                        + "would be deleted at once", "set <historyKeep> to the number of runs to keep, e.g. " + KEEP);
            }
        }

        /**
         * {@code history} as the user writes it: {@code true} for {@link #FOLDER}, a folder (relative to the project)
         * or a JDBC URL; {@code null} when it is unset, empty or {@code false}.
         */
        public static History parse(Path projectDirectory, String value, String user, String password, int keep) {
            String text = value == null ? "" : value.strip();
            if (text.isEmpty() || text.equalsIgnoreCase("false")) {
                return null;
            }
            if (text.regionMatches(true, 0, URL, 0, URL.length())) {
                return new History(null, text, user, password, keep);
            }
            Path folder = text.toLowerCase(Locale.ROOT).equals("true") ? FOLDER : Path.of(text);
            return new History(projectDirectory.resolve(folder).normalize(), null, user, password, keep);
        }

        /** Where the history is, for people: the folder, or the URL with its credentials masked. */
        public String describe() {
            return folder != null ? folder.toString() : Secrets.redact(url);
        }

        @Override
        public String toString() {
            return "History[" + describe() + ", keep " + keep + "]";
        }
    }
}
