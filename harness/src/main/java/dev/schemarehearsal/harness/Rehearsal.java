package dev.schemarehearsal.harness;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.EmbeddedBinaries;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.FailOn;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.GitBaseline;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.RehearsalResult.Verdict;
import dev.schemarehearsal.harness.api.Scale;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.backfill.BackfillFiles;
import dev.schemarehearsal.harness.backfill.Backfills;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.lint.Agreement;
import dev.schemarehearsal.harness.lint.Lint;
import dev.schemarehearsal.harness.migrate.GitBaselines;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import dev.schemarehearsal.harness.plan.ProductionPlans;
import dev.schemarehearsal.harness.plan.QueriesFile;
import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.report.Reports;
import dev.schemarehearsal.harness.shadow.EmbeddedBinariesInLocalRepository;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.Shadows;
import org.flywaydb.core.api.MigrationInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

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
 * One rehearsal is a straight pipeline: start the shadow, migrate it to the baseline, load the sample data, plan the
 * queries, apply the pending migrations, plan the queries again, write the reports. The shadow is removed whatever happens.
 */
public final class Rehearsal {
    public static final String TOOL_NAME = "schema-rehearsal";

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
     * Runs the rehearsal and writes its reports into the report directory.
     *
     * @throws ConfigurationException                                 for bad input found on the way
     * @throws dev.schemarehearsal.harness.api.InfrastructureException when the shadow cannot be had
     * @throws RehearsalInterruptedException                           when the build or the thread was interrupted
     */
    public RehearsalResult run(RehearsalListener listener) {
        MigrationRunner.checkBaseline(config.locations(), config.baseline());
        GitBaselines.log(config.gitBaseline(), listener);
        LintResult lint = Lint.run(config);
        listener.info("Lint: " + lint.findings().size() + " finding(s) before the rehearsal; the measurement decides");
        StatisticsSnapshot snapshot = config.statistics() == null ? null : StatisticsFile.read(config.statistics());
        List<Backfill> backfillDefinitions = new ArrayList<>(BackfillFiles.read(config.backfills()));
        backfillDefinitions.addAll(config.backfillsInCode());
        List<Query> queries = config.queries() == null ? List.of() : QueriesFile.read(config.queries());
        ProductionPlans production = config.productionPlans() == null || queries.isEmpty() ? null
                : ProductionPlans.read(config.productionPlans());
        Interruption interruption = Interruption.watch(listener, "start");
        try {
            return rehearse(lint, snapshot, backfillDefinitions, queries, production, listener, interruption);
        } catch (RuntimeException e) {
            throw interruption.of(e);
        } finally {
            interruption.close();
        }
    }

    /** The stages from the shadow's start on; the interruption is told which stage runs. */
    private RehearsalResult rehearse(LintResult lint, StatisticsSnapshot snapshot, List<Backfill> backfillDefinitions,
                                     List<Query> queries, ProductionPlans production, RehearsalListener listener,
                                     Interruption interruption) {
        List<Phase> phases = new ArrayList<>();
        Stages stages = new Stages(phases, interruption);
        Shadows.Opened opened = stages.timed("start", () -> Shadows.open(config, listener));
        ShadowDatabase shadow = opened.database();
        Data data = new Data(List.of());
        List<RehearsalResult.MigrationResult> migrations = List.of();
        RehearsalResult.Timeline timeline = RehearsalResult.Timeline.EMPTY;
        List<RehearsalResult.BackfillResult> backfillResults = List.of();
        List<Finding> findings = new ArrayList<>(lint.findings().stream().map(LintResult.LintFinding::finding)
                .filter(f -> f.rule() == Rule.MISSING_RATIONALE).toList());
        List<QueryResult> queryResults = List.of();
        Dialect dialect = Dialect.of(config.engine());
        RuntimeException failure = null;
        try {
            MigrationRunner runner = new MigrationRunner(config.locations(), shadow, listener, queries);
            List<MigrationInfo> pending = stages.timed("baseline", () -> runner.migrateToBaseline(config.baseline()));
            data = stages.timed("load", () -> load(shadow, snapshot, listener));
            QueryPlans plans = new QueryPlans(dialect, queries, config.analyze(),
                    config.planThresholds(), listener, production);
            Data loaded = data;
            stages.timed("plans-before", () -> onShadow(shadow, "planning the queries", c -> {
                plans.before(c);
                if (!loaded.padded().isEmpty()) {
                    // The migrations are measured on the sample's own size; the plans after each compare with these.
                    new SampleData(dialect, config, listener).removePadding(c, loaded, snapshot);
                    plans.unpadded(c);
                }
                return null;
            }));
            Backfills backfills = Backfills.schedule(backfillDefinitions, pending.stream()
                            .filter(m -> m.getVersion() != null).map(m -> m.getVersion().getVersion()).toList(),
                    config.baseline(), new Backfills.Shadow(shadow.jdbcUrl(), shadow.user(), shadow.password()),
                    new Backfills.Settings(config.maxStallMs(), config.maxBackfillMs(), config.adviseBatch()),
                    data.statistics(), listener);
            MigrationRunner.Outcome outcome = stages.timed("migrate", () -> runner.applyPending(pending,
                    config.maxLockMs(), config.maxStallMs(), backfills, plans::afterMigration));
            if (!backfills.isEmpty()) {
                // The backfills ran between the migrations: their time is their own phase, not the migrations'.
                Phase migrate = phases.remove(phases.size() - 1);
                phases.add(new Phase(migrate.name(), migrate.durationMs() - backfills.durationMs()));
                phases.add(new Phase("backfill", backfills.durationMs()));
            }
            findings.addAll(outcome.findings());
            timeline = outcome.timeline();
            findings.addAll(backfills.findings());
            backfillResults = backfills.results();
            QueryPlans.Outcome planned = stages.timed("plans-after", () -> onShadow(shadow, "planning the queries",
                    c -> {
                        if (!queries.isEmpty() && !new SampleData(dialect, config, listener).refresh(c, loaded, snapshot)) {
                            listener.warn("Plans after compare with the plans before of the unpadded tables: the "
                                    + "storage padding failed (above), so both are of the sample's size");
                            plans.compareUnpadded();
                        }
                        return plans.after(c);
                    }));
            queryResults = planned.queries();
            ProductionEstimates.Outcome estimates = ProductionEstimates.apply(dialect, outcome.migrations(), data.statistics(),
                    config.maxLockMs());
            migrations = estimates.migrations();
            findings.addAll(estimates.findings());
            findings.addAll(planned.findings());
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            remove(shadow, failure, listener);
        }

        List<Finding> failures = findings.stream().filter(config.failOn()::matches).toList();
        boolean failed = !failures.isEmpty() || findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        RehearsalResult.Shadow shadowInfo = new RehearsalResult.Shadow(shadow.kind(), config.engine(),
                shadow.serverVersion(), opened.reason());
        RehearsalResult result = new RehearsalResult(new RehearsalResult.Tool(TOOL_NAME, version()),
                failed ? Verdict.FAIL : Verdict.PASS, shadowInfo, phases, data, migrations, findings, failures,
                timeline, backfillResults, lint, Agreement.compare(lint, migrations, findings), queryResults,
                RehearsalResult.Fidelity.of(queryResults));
        if (result.fidelity() != null) {
            listener.info("Plan fidelity: " + result.fidelity().summary() + (result.fidelity().different().isEmpty() ? ""
                    : "; uncertain verdicts for " + String.join(", ", result.fidelity().different())));
        }
        interruption.stage("report");
        long reportStart = System.nanoTime();
        Reports.write(result, config);
        // The report phase is known only once the reports exist: they are written again with it, which costs little.
        phases.add(new Phase("report", (System.nanoTime() - reportStart) / 1_000_000));
        RehearsalResult complete = result.withPhases(phases);
        Reports.write(complete, config);
        return complete;
    }

    private Data load(ShadowDatabase shadow, StatisticsSnapshot snapshot, RehearsalListener listener) {
        try (Connection connection = shadow.connect()) {
            return new SampleData(Dialect.of(config.engine()), config, listener).load(connection, snapshot);
        } catch (SQLException e) {
            throw new InfrastructureException("the shadow failed while loading the sample data: " + e.getMessage(),
                    "check the shadow database's log; the data itself was accepted up to this point", e);
        }
    }

    /** Work on a session of the shadow of its own. */
    private interface OnShadow<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T onShadow(ShadowDatabase shadow, String what, OnShadow<T> work) {
        try (Connection connection = shadow.connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new InfrastructureException("the shadow failed while " + what + ": " + e.getMessage(),
                    "check the shadow database's log", e);
        }
    }

    /**
     * Removes the shadow. When the rehearsal failed already, that failure is the one to report, and what could not be
     * removed is said in a line of its own; when the build is interrupted, the shutdown hook removes it and says so.
     */
    private static void remove(ShadowDatabase shadow, RuntimeException failure, RehearsalListener listener) {
        try {
            shadow.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            listener.warn("Could not remove " + shadow.describe() + ": "
                    + (e instanceof RehearsalException known ? known.describe() : e.getMessage()));
            return;
        }
        if (!Interruption.interrupted()) {
            listener.info("Shadow removed: " + shadow.describe());
        }
    }

    /** The phases as they run: each one timed, and the interruption told which one runs. */
    private record Stages(List<Phase> phases, Interruption interruption) {
        <T> T timed(String name, Supplier<T> stage) {
            interruption.stage(name);
            long start = System.nanoTime();
            try {
                return stage.get();
            } finally {
                phases.add(new Phase(name, (System.nanoTime() - start) / 1_000_000));
            }
        }
    }

    /** This harness's version, from the build. */
    public static String version() {
        try (InputStream in = Rehearsal.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects and validates the configuration; relative paths resolve against the project directory. */
    public static final class Builder {
        private Path projectDirectory = Path.of("").toAbsolutePath();
        private Engine engine = Engine.POSTGRESQL;
        private String engineVersion;
        private ShadowKind shadow = ShadowKind.AUTO;
        private String image;
        private String serverUrl;
        private String serverUser;
        private String serverPassword;
        private List<String> locations = List.of();
        private String baseline;
        private Path dataDirectory;
        private Path reportDirectory = Path.of("target/schema-rehearsal");
        private FailOn failOn = FailOn.DEFAULT;
        private EmbeddedBinaries binaries;
        private String nullMarker;
        private String encoding;
        private Scale scale;
        private Path statistics;
        private long maxLockMs = 1000;
        private long maxStallMs = 500;
        private long maxPaddingMb = 256;
        private Path backfills;
        private Long maxBackfillMs;
        private boolean adviseBatch;
        private final List<Backfill> backfillsInCode = new ArrayList<>();
        private boolean requireRationale;
        private Path queries;
        private Path productionPlans;
        private boolean analyze;
        private double maxCostRatio = PlanThresholds.DEFAULT.maxCostRatio();
        private long largeTableRows = PlanThresholds.DEFAULT.largeTableRows();
        private double maxReadGrowth = PlanThresholds.DEFAULT.maxReadGrowth();

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

        /** Flyway locations; {@code filesystem:} paths may be relative to the project. */
        public Builder locations(List<String> locations) {
            this.locations = List.copyOf(locations);
            return this;
        }

        /** The version production is at, or {@code git:<ref>}: the migration files present at that ref. */
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

        /** Validates the configuration: contradictions name both settings. */
        public Rehearsal load() {
            if (baseline == null) {
                throw new ConfigurationException("baseline", "no baseline is set",
                        "set <baseline> to the migration version production is at, e.g. <baseline>3</baseline>");
            }
            if (shadow == ShadowKind.EMBEDDED && engine != Engine.POSTGRESQL) {
                throw new ConfigurationException("shadow", "<shadow>embedded</shadow> runs PostgreSQL only, but <engine> is "
                        + engine.id(), "set <shadow>container</shadow> or <serverUrl> for " + engine.id());
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
            Path defaultQueries = projectDirectory.resolve("src/rehearsal/queries.sql");
            Path defaultPlans = projectDirectory.resolve("src/rehearsal/plans.json");
            Path defaultStatistics = projectDirectory.resolve("src/rehearsal/stats.json");
            List<String> resolved = (locations.isEmpty() ? List.of("filesystem:src/main/resources/db/migration") : locations)
                    .stream().map(this::absolute).toList();
            GitBaseline git = baseline.startsWith(GitBaselines.PREFIX)
                    ? GitBaselines.resolve(resolved, baseline.substring(GitBaselines.PREFIX.length())) : null;
            return new Rehearsal(new RehearsalConfig(projectDirectory, engine,
                    engineVersion == null ? engine.defaultVersion() : engineVersion, shadow, image, serverUrl,
                    serverUser, serverPassword, resolved, git == null ? baseline : git.version(),
                    projectDirectory.resolve(dataDirectory == null ? Path.of("src/rehearsal/data") : dataDirectory),
                    projectDirectory.resolve(reportDirectory), failOn,
                    binaries == null ? EmbeddedBinariesInLocalRepository.standard() : binaries, nullMarker, charset(),
                    scale, statistics != null ? projectDirectory.resolve(statistics)
                    : Files.isRegularFile(defaultStatistics) ? defaultStatistics : null, maxLockMs, maxStallMs,
                    projectDirectory.resolve(backfills == null ? Path.of("src/rehearsal/backfills") : backfills),
                    maxBackfillMs, adviseBatch, backfillsInCode, requireRationale,
                    queries != null ? projectDirectory.resolve(queries)
                    : Files.isRegularFile(defaultQueries) ? defaultQueries : null, analyze,
                    new PlanThresholds(maxCostRatio, largeTableRows, maxReadGrowth),
                    productionPlans != null ? projectDirectory.resolve(productionPlans)
                    : Files.isRegularFile(defaultPlans) ? defaultPlans : null, git, maxPaddingMb));
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
