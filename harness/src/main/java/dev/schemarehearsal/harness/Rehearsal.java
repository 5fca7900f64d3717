package dev.schemarehearsal.harness;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.EmbeddedBinaries;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.FailOn;
import dev.schemarehearsal.harness.api.GitBaseline;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Scale;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.migrate.GitBaselines;
import dev.schemarehearsal.harness.plan.ProductionPlans;
import dev.schemarehearsal.harness.shadow.CommandLine;
import dev.schemarehearsal.harness.shadow.EmbeddedBinariesInLocalRepository;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.Shadows;
import dev.schemarehearsal.harness.stage.Backfilling;
import dev.schemarehearsal.harness.stage.Baseline;
import dev.schemarehearsal.harness.stage.Estimate;
import dev.schemarehearsal.harness.stage.HistoryOfRuns;
import dev.schemarehearsal.harness.stage.Load;
import dev.schemarehearsal.harness.stage.Migrate;
import dev.schemarehearsal.harness.stage.PlansAfter;
import dev.schemarehearsal.harness.stage.PlansBefore;
import dev.schemarehearsal.harness.stage.QueryCheck;
import dev.schemarehearsal.harness.stage.Prepare;
import dev.schemarehearsal.harness.stage.Report;
import dev.schemarehearsal.harness.stage.RunContext;
import dev.schemarehearsal.harness.stage.Stage;
import dev.schemarehearsal.harness.stage.Stopped;
import dev.schemarehearsal.harness.stage.Start;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rehearses pending migrations on a shadow database and reports what they did.
 *
 * <pre>{@code
 * RehearsalResult result = Rehearsal.configure()
 *         .projectDirectory(Path.of("."))
 *         .engine("postgresql").engineVersion("16")
 *         .baseline("3")
 *         .load()
 *         .run(event -> System.out.println(event.message()));
 * }</pre>
 *
 * One rehearsal is a straight pipeline of stages (see {@link #run}); the shadow is removed whatever happens.
 */
public final class Rehearsal {
    private final RehearsalConfig config;

    private Rehearsal(RehearsalConfig config) {
        this.config = config;
    }

    public static Builder configure() {
        return new Builder();
    }

    public RehearsalConfig config() {
        return config;
    }

    /**
     * Runs the rehearsal and writes its reports into the report directory: the project's files read first, then the
     * stages in order, each timed as a phase, then the reports, once every phase is known. From the shadow's start on,
     * an interrupted build says which stage it stopped in (see {@link Interruption}). A migration up to the baseline
     * that fails stops the rehearsal there: the reports show it, and its {@code migration-failed} finding is among
     * the result's failures whatever {@code failOn} says.
     *
     * @throws ConfigurationException                                 for bad input found on the way
     * @throws dev.schemarehearsal.harness.api.InfrastructureException when the shadow cannot be had
     * @throws RehearsalInterruptedException                           when the build or the thread was interrupted
     */
    public RehearsalResult run(RehearsalListener listener) {
        RunContext run = new RunContext(config, listener);
        time(new Prepare(), run);
        time(new HistoryOfRuns(), run);
        Backfilling backfill = new Backfilling();
        try (Interruption interruption = Interruption.watch(listener, "start")) {
            try {
                Report report = new Report();
                try {
                    run.withShadow(() -> List.of(new Start(), new Baseline(), new QueryCheck(), new Load(),
                                    new PlansBefore(), new Migrate(backfill), backfill, new Estimate(backfill),
                                    new PlansAfter())
                            .forEach(stage -> time(stage, run, interruption)));
                } catch (Stopped stopped) {
                    report = new Report(stopped);
                }
                time(report, run, interruption);
                RehearsalResult result = Report.write(run);
                HistoryOfRuns.append(run);
                return result;
            } catch (RuntimeException e) {
                throw interruption.of(e);
            }
        }
    }

    /** Times the stage, the interruption told that it runs: its name is the one an interrupted build says. */
    private static void time(Stage stage, RunContext run, Interruption interruption) {
        interruption.stage(stage.name());
        time(stage, run);
    }

    /** Runs the stage and records its phase; a stage that stopped the rehearsal took its time too. */
    private static void time(Stage stage, RunContext run) {
        long start = System.nanoTime();
        try {
            stage.run(run);
        } catch (Stopped stopped) {
            phase(stage, run, start);
            throw stopped;
        }
        phase(stage, run, start);
    }

    private static void phase(Stage stage, RunContext run, long startNanos) {
        stage.durationMs((System.nanoTime() - startNanos) / 1_000_000).ifPresent(ms -> run.phase(stage.name(), ms));
    }

    /** Collects and validates the configuration; relative paths resolve against the project directory. */
    public static final class Builder {
        private Path projectDirectory = Path.of("").toAbsolutePath();
        private Engine engine = RehearsalConfig.Shadow.ENGINE;
        private String engineVersion;
        private ShadowKind shadow = RehearsalConfig.Shadow.KIND;
        private String image;
        private String serverUrl;
        private String serverUser;
        private String serverPassword;
        private String cloneTemplate;
        private List<String> cloneCommand = List.of();
        private List<String> cloneDestroyCommand = List.of();
        private long cloneTimeoutSeconds = RehearsalConfig.Clone.TIMEOUT_SECONDS;
        private Long backfillSampleSeconds;
        private List<String> locations = List.of();
        private String baseline;
        private Path dataDirectory;
        private Path reportDirectory = RehearsalConfig.Outputs.REPORT_DIRECTORY;
        private FailOn failOn = FailOn.DEFAULT;
        private EmbeddedBinaries binaries;
        private String nullMarker;
        private String encoding;
        private Scale scale;
        private Path statistics;
        private long maxLockMs = RehearsalConfig.Limits.MAX_LOCK_MS;
        private long maxStallMs = RehearsalConfig.Limits.MAX_STALL_MS;
        private long maxPaddingMb = RehearsalConfig.Plans.MAX_PADDING_MB;
        private Path backfills;
        private Long maxBackfillMs;
        private boolean adviseBatch;
        private final List<Backfill> backfillsInCode = new ArrayList<>();
        private boolean requireRationale;
        private Path queries;
        private boolean noQueries;
        private Path productionPlans;
        private boolean analyze;
        private double maxCostRatio = PlanThresholds.DEFAULT.maxCostRatio();
        private long largeTableRows = PlanThresholds.DEFAULT.largeTableRows();
        private double maxReadGrowth = PlanThresholds.DEFAULT.maxReadGrowth();
        private String history;
        private String historyUser;
        private String historyPassword;
        private int historyKeep = RehearsalConfig.History.KEEP;

        private Builder() {
        }

        public Builder projectDirectory(Path projectDirectory) {
            this.projectDirectory = projectDirectory.toAbsolutePath();
            return this;
        }

        public Builder engine(String engine) {
            this.engine = Engine.parse(engine);
            return this;
        }

        public Builder engineVersion(String engineVersion) {
            this.engineVersion = blankToNull(engineVersion);
            return this;
        }

        public Builder shadow(String shadow) {
            this.shadow = ShadowKind.parse(shadow);
            return this;
        }

        public Builder image(String image) {
            this.image = blankToNull(image);
            return this;
        }

        public Builder server(String url, String user, String password) {
            this.serverUrl = blankToNull(url);
            this.serverUser = user;
            this.serverPassword = password;
            return this;
        }

        /**
         * For {@code shadow=clone}: a database on the PostgreSQL server at {@code serverUrl} that holds a full-size copy
         * of production, copied for the rehearsal with {@code CREATE DATABASE ... TEMPLATE} and never written to.
         */
        public Builder cloneTemplate(String template) {
            this.cloneTemplate = blankToNull(template);
            return this;
        }

        /**
         * For {@code shadow=clone}: the command that makes a full-size writable copy of production and prints its JDBC
         * URL as its last line, e.g. {@code dblab clone create --id rehearsal}. Words are split at blanks, quoted with
         * {@code '…'} or {@code "…"}; no shell reads it (see {@link CommandLine}).
         */
        public Builder cloneCommand(String command) {
            this.cloneCommand = CommandLine.split("cloneCommand", command);
            return this;
        }

        /** The command that destroys the clone, with its URL in {@code SCHEMA_REHEARSAL_CLONE_URL}. */
        public Builder cloneDestroyCommand(String command) {
            this.cloneDestroyCommand = CommandLine.split("cloneDestroyCommand", command);
            return this;
        }

        /** How long the clone commands may each run, in seconds (default 600). */
        public Builder cloneTimeoutSeconds(long seconds) {
            this.cloneTimeoutSeconds = seconds;
            return this;
        }

        /**
         * The time box of each backfill at full size, in seconds: batches spread across the key range run until it
         * ends, and the total is extrapolated; 0 runs every batch. {@code null} (default): 60 on a clone, else 0.
         */
        public Builder backfillSampleSeconds(Long seconds) {
            this.backfillSampleSeconds = seconds;
            return this;
        }

        /** Flyway locations; {@code filesystem:} paths may be relative to the project. */
        public Builder locations(List<String> locations) {
            this.locations = List.copyOf(locations);
            return this;
        }

        /**
         * The version production is at; {@code git:<ref>}: the migration files present at that ref; or {@code none}:
         * production has none of the migrations yet, every one is pending, rehearsed from an empty database.
         */
        public Builder baseline(String baseline) {
            this.baseline = blankToNull(baseline);
            return this;
        }

        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder reportDirectory(Path reportDirectory) {
            this.reportDirectory = reportDirectory;
            return this;
        }

        public Builder failOn(String failOn) {
            this.failOn = FailOn.parse(failOn);
            return this;
        }

        /**
         * The unquoted CSV field that means NULL, e.g. {@code \N}. Unset or empty keeps the default rule: an empty
         * unquoted field is NULL, a quoted empty field ({@code ""}) is the empty string.
         */
        public Builder nullMarker(String nullMarker) {
            this.nullMarker = nullMarker == null || nullMarker.isEmpty() ? null : nullMarker;
            return this;
        }

        /** The CSV files' character encoding, e.g. {@code ISO-8859-1}. Default UTF-8. */
        public Builder encoding(String encoding) {
            this.encoding = blankToNull(encoding);
            return this;
        }

        /** Grows the loaded sample: a factor ({@code 10}) or target rows per table ({@code orders=400000,customers=100000}). */
        public Builder scale(String scale) {
            this.scale = Scale.parse(scale);
            return this;
        }

        /** Production's statistics snapshot. Default: {@code src/rehearsal/stats.json} when it exists. */
        public Builder statistics(Path statistics) {
            this.statistics = statistics;
            return this;
        }

        public Builder embeddedBinaries(EmbeddedBinaries binaries) {
            this.binaries = binaries;
            return this;
        }

        /** The longest acceptable lock blocking reads or writes, in milliseconds (default 1000). */
        public Builder maxLockMs(long maxLockMs) {
            this.maxLockMs = maxLockMs;
            return this;
        }

        /** The longest acceptable probe stall, in milliseconds (default 500). */
        public Builder maxStallMs(long maxStallMs) {
            this.maxStallMs = maxStallMs;
            return this;
        }

        /**
         * The most storage, in MB, written to pad the loaded tables with empty pages towards production's page counts
         * (from the statistics snapshot), so that the queries plan as on production's sizes (default 256; 0 turns the
         * padding off). Past it, every table is padded to the same share of its production size.
         */
        public Builder maxPaddingMb(long maxPaddingMb) {
            this.maxPaddingMb = maxPaddingMb;
            return this;
        }

        /** Every pending migration must carry {@code -- why:} and {@code -- approved-by:} header lines. */
        public Builder requireRationale(boolean requireRationale) {
            this.requireRationale = requireRationale;
            return this;
        }

        /** The folder of backfill files. Default: {@code src/rehearsal/backfills}, which may be absent. */
        public Builder backfills(Path backfills) {
            this.backfills = backfills;
            return this;
        }

        /** A backfill written in code, run besides the files; see {@link Backfill}. */
        public Builder backfill(Backfill backfill) {
            this.backfillsInCode.add(backfill);
            return this;
        }

        /** The longest acceptable backfill at production size, in milliseconds; {@code null} (default): no limit. */
        public Builder maxBackfillMs(Long maxBackfillMs) {
            this.maxBackfillMs = maxBackfillMs;
            return this;
        }

        /** Whether to try several batch sizes per backfill and recommend one (default {@code false}). */
        public Builder adviseBatch(boolean adviseBatch) {
            this.adviseBatch = adviseBatch;
            return this;
        }

        /** The workload whose plans are compared. Default: {@code src/rehearsal/queries.sql} when it exists. */
        public Builder queries(Path queries) {
            this.queries = queries;
            this.noQueries = false;
            return this;
        }

        /** No query workload, even when the default {@code src/rehearsal/queries.sql} exists ({@code queries=none}). */
        public Builder noQueries() {
            this.queries = null;
            this.noQueries = true;
            return this;
        }

        /**
         * Production's plans of the queries, as {@code schema:sample} captures them. Default:
         * {@code src/rehearsal/plans.json} when it exists.
         */
        public Builder productionPlans(Path productionPlans) {
            this.productionPlans = productionPlans;
            return this;
        }

        /** Also EXPLAIN ANALYZE the queries: each runs 3 times, rolled back, and the median run is kept. */
        public Builder analyze(boolean analyze) {
            this.analyze = analyze;
            return this;
        }

        /** The factor by which a query's planner cost may grow before its plan regressed (default 2). */
        public Builder maxCostRatio(double maxCostRatio) {
            this.maxCostRatio = maxCostRatio;
            return this;
        }

        /** Tables of at least this many rows read in full where an index served are a regression (default 10,000). */
        public Builder largeTableRows(long largeTableRows) {
            this.largeTableRows = largeTableRows;
            return this;
        }

        /** The factor by which a query's estimated rows read (analyzed: pages read) may grow (default 4). */
        public Builder maxReadGrowth(double maxReadGrowth) {
            this.maxReadGrowth = maxReadGrowth;
            return this;
        }

        /**
         * The history each run is appended to and compared with: {@code true} for the folder
         * {@code .schema-rehearsal/history} in the project, another folder, or the JDBC URL of a PostgreSQL or
         * MySQL/MariaDB database (its user and password given here, or in the URL); unset, empty or {@code false}: none.
         */
        public Builder history(String history, String user, String password) {
            this.history = history;
            this.historyUser = user;
            this.historyPassword = password;
            return this;
        }

        /** How many runs of each branch the history keeps (default 90); older ones are deleted as a run is appended. */
        public Builder historyKeep(int historyKeep) {
            this.historyKeep = historyKeep;
            return this;
        }

        /** Validates the configuration: contradictions name both settings. */
        public Rehearsal load() {
            if (baseline == null && shadow != ShadowKind.CLONE) {
                throw new ConfigurationException("baseline", "no baseline is set",
                        "set <baseline> to the migration version production is at, e.g. <baseline>3</baseline>, or "
                                + "to none when production has none of them yet");
            }
            boolean fromEmpty = RehearsalConfig.Migrations.NONE.equals(baseline);
            if (fromEmpty && shadow == ShadowKind.CLONE) {
                throw new ConfigurationException("baseline", "<baseline> is none, but a clone is a copy of production "
                        + "and holds its schema", "remove <baseline>: production's version is read from the clone's "
                        + "Flyway history; or set it to the version production is at");
            }
            if (fromEmpty) {
                refuseWithoutBaseline("dataDirectory", dataDirectory);
                refuseWithoutBaseline("statistics", statistics);
                refuseWithoutBaseline("queries", queries);
                refuseWithoutBaseline(ProductionPlans.PARAMETER, productionPlans);
            }
            Shadows.check(shadow, engine);
            RehearsalConfig.Clone clone = new RehearsalConfig.Clone(cloneTemplate, cloneCommand, cloneDestroyCommand,
                    cloneTimeoutSeconds);
            if (shadow == ShadowKind.CLONE) {
                Shadows.checkClone(clone, engine, serverUrl);
            }
            if (backfillSampleSeconds != null && backfillSampleSeconds < 0) {
                throw new ConfigurationException("backfillSampleSeconds", "the time box " + backfillSampleSeconds
                        + " is negative", "set <backfillSampleSeconds> to seconds, or 0 to run every batch");
            }
            if (maxLockMs < 0 || maxStallMs < 0) {
                throw new ConfigurationException(maxLockMs < 0 ? "maxLockMs" : "maxStallMs", "a limit is negative",
                        "set <maxLockMs> and <maxStallMs> to milliseconds, 0 or more");
            }
            if (maxPaddingMb < 0) {
                throw new ConfigurationException("maxPaddingMb", "the padding limit " + maxPaddingMb + " is negative",
                        "set <maxPaddingMb> to megabytes, 0 or more (0 turns the padding off)");
            }
            if (shadow == ShadowKind.SERVER && serverUrl == null) {
                throw new ConfigurationException("serverUrl", "<shadow>server</shadow> needs a server",
                        "set <serverUrl> to a JDBC URL of a server the rehearsal may create a scratch database on");
            }
            if (serverUrl != null && (shadow == ShadowKind.CONTAINER || shadow == ShadowKind.EMBEDDED)) {
                throw new ConfigurationException("serverUrl", "<serverUrl> is set but <shadow> is " + shadow.id(),
                        "remove <serverUrl>, or set <shadow> to server or auto");
            }
            if (dataDirectory != null && !Files.isDirectory(projectDirectory.resolve(dataDirectory))) {
                throw new ConfigurationException("dataDirectory", "the data directory " + projectDirectory.resolve(dataDirectory)
                        + " does not exist", "create it with one <table>.csv per table, or remove <dataDirectory>");
            }
            if (statistics != null && !Files.isRegularFile(projectDirectory.resolve(statistics))) {
                throw new ConfigurationException("statistics", "the statistics snapshot " + projectDirectory.resolve(statistics)
                        + " does not exist", "create it with stats-postgresql.sql or stats-mysql.sql (see the README), or remove <statistics>");
            }
            if (nullMarker != null && nullMarker.chars().anyMatch(c -> c == '"' || c == ',' || c == '\r' || c == '\n')) {
                throw new ConfigurationException("nullMarker", "the null marker '" + nullMarker
                        + "' holds a quote, comma or line break, which CSV gives other meanings", "use a marker such as \\N or NULL");
            }
            if (backfills != null && !Files.isDirectory(projectDirectory.resolve(backfills))) {
                throw new ConfigurationException("backfills", "the backfill folder " + projectDirectory.resolve(backfills)
                        + " does not exist", "create it with one backfill per .sql file, or remove <backfills>");
            }
            if (maxBackfillMs != null && maxBackfillMs < 0) {
                throw new ConfigurationException("maxBackfillMs", "maxBackfillMs is negative",
                        "set <maxBackfillMs> to milliseconds, 0 or more, or remove it for no limit");
            }
            if (queries != null && !Files.isRegularFile(projectDirectory.resolve(queries))) {
                throw new ConfigurationException("queries", "the queries file " + projectDirectory.resolve(queries)
                        + " does not exist", "create it (-- name: <id> before each query, ';' at the end; see the README), or remove <queries>");
            }
            if (!(maxCostRatio > 1) || !(maxReadGrowth > 1) || largeTableRows < 0) {
                throw new ConfigurationException(!(maxCostRatio > 1) ? "maxCostRatio" : !(maxReadGrowth > 1)
                        ? "maxReadGrowth" : "largeTableRows", "a plan threshold is out of range",
                        "set <maxCostRatio> and <maxReadGrowth> to factors above 1, e.g. 2, and <largeTableRows> to 0 or more rows");
            }
            if (productionPlans != null && !Files.isRegularFile(projectDirectory.resolve(productionPlans))) {
                throw new ConfigurationException(ProductionPlans.PARAMETER, "the production plans file "
                        + projectDirectory.resolve(productionPlans) + " does not exist",
                        "capture it with schema:sample (queries.sql next to it), or remove <productionPlans>");
            }
            List<String> resolved = (locations.isEmpty() ? List.of(RehearsalConfig.Migrations.LOCATION) : locations)
                    .stream().map(this::absolute).toList();
            GitBaseline git = baseline != null && baseline.startsWith(GitBaselines.PREFIX)
                    ? GitBaselines.resolve(resolved, baseline.substring(GitBaselines.PREFIX.length())) : null;
            return new Rehearsal(new RehearsalConfig(projectDirectory,
                    new RehearsalConfig.Shadow(engine, engineVersion == null ? engine.defaultVersion() : engineVersion,
                            shadow, image, serverUrl, serverUser, serverPassword,
                            binaries == null ? EmbeddedBinariesInLocalRepository.standard() : binaries, clone),
                    new RehearsalConfig.Migrations(resolved, git == null ? baseline : git.version(), git, requireRationale),
                    new RehearsalConfig.Data(fromEmpty ? null : projectDirectory.resolve(dataDirectory == null
                            ? RehearsalConfig.Data.DIRECTORY : dataDirectory), nullMarker, charset(), scale,
                            fromEmpty ? null : orExisting(statistics, RehearsalConfig.Data.STATISTICS)),
                    new RehearsalConfig.Limits(failOn, maxLockMs, maxStallMs, maxBackfillMs),
                    new RehearsalConfig.Plans(noQueries || fromEmpty ? null
                            : orExisting(queries, RehearsalConfig.Plans.QUERIES),
                            fromEmpty ? null : orExisting(productionPlans, RehearsalConfig.Plans.PRODUCTION_PLANS), analyze,
                            new PlanThresholds(maxCostRatio, largeTableRows, maxReadGrowth), maxPaddingMb),
                    new RehearsalConfig.Backfills(projectDirectory.resolve(backfills == null
                            ? RehearsalConfig.Backfills.FOLDER : backfills), backfillsInCode, adviseBatch,
                            backfillSampleSeconds != null ? backfillSampleSeconds : shadow == ShadowKind.CLONE
                                    ? RehearsalConfig.Backfills.SAMPLE_SECONDS_ON_CLONE : 0),
                    new RehearsalConfig.Outputs(projectDirectory.resolve(reportDirectory)),
                    RehearsalConfig.History.parse(projectDirectory, history, historyUser, historyPassword, historyKeep)));
        }

        /**
         * With the baseline {@code none} production has no schema yet: there is no data, statistics or plan of it to
         * give, so the defaults are not used and a parameter set is a contradiction.
         */
        private static void refuseWithoutBaseline(String parameter, Object set) {
            if (set != null) {
                throw new ConfigurationException(parameter, "<" + parameter + "> is set but <baseline> is none: "
                        + "production has no schema yet for it to describe", "remove <" + parameter + ">, or set "
                        + "<baseline> to the version production is at");
            }
        }

        /** The file as set, resolved; else the default file when it exists; else {@code null}. */
        private Path orExisting(Path set, Path standard) {
            if (set != null) {
                return projectDirectory.resolve(set);
            }
            Path resolved = projectDirectory.resolve(standard);
            return Files.isRegularFile(resolved) ? resolved : null;
        }

        private Charset charset() {
            if (encoding == null) {
                return StandardCharsets.UTF_8;
            }
            try {
                return Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("encoding", "unknown encoding '" + encoding + "'",
                        "use a Java charset name such as UTF-8, ISO-8859-1 or windows-1252", e);
            }
        }

        private String absolute(String location) {
            String prefix = "filesystem:";
            if (location.startsWith(prefix)) {
                return prefix + projectDirectory.resolve(location.substring(prefix.length())).normalize();
            }
            return location.contains(":") ? location : "classpath:" + location;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
