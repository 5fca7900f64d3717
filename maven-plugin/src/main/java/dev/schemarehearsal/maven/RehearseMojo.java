package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Durations;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.report.Reports;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Rehearses the pending migrations on a shadow database: brings it to the baseline, loads the sample data,
 * applies the pending migrations, writes the reports and fails the build as {@code failOn} says.
 */
@Mojo(name = "rehearse", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class RehearseMojo extends PendingMigrationsMojo {
    /** The log's summary lists this many findings, the worst first; the reports have them all. */
    private static final int LOGGED_FINDINGS = 10;

    /**
     * Where the shadow database comes from: {@code auto}, {@code container}, {@code embedded}, {@code server} or
     * {@code clone}. {@code auto} takes {@code server} when {@code serverUrl} is set, else {@code container} when a
     * Docker engine answers, else {@code embedded} for PostgreSQL. {@code clone} rehearses on a full-size writable copy
     * of production from {@code cloneTemplate} or {@code cloneCommand}.
     */
    @Parameter(property = "schema.shadow", defaultValue = "auto")
    private String shadow;

    /**
     * The container image for {@code shadow=container}. Default: the engine's official
     * image at {@code engineVersion} ({@code postgres:16}, {@code mysql:8.0}, {@code mariadb:10.11}).
     */
    @Parameter(property = "schema.image")
    private String image;

    /**
     * JDBC URL of an existing server to create a scratch database on ({@code shadow=server}). Default:
     * none.
     */
    @Parameter(property = "schema.serverUrl")
    private String serverUrl;

    /**
     * The {@code <server>} in settings.xml whose username and password (encrypted or not) connect to
     * {@code serverUrl}. Default: none.
     */
    @Parameter(property = "schema.serverId")
    private String serverId;

    /** User for {@code serverUrl} when no {@code serverId} is given. Default: none. */
    @Parameter(property = "schema.serverUser")
    private String serverUser;

    /** Password for {@code serverUrl} when no {@code serverId} is given. Default: none. */
    @Parameter(property = "schema.serverPassword")
    private String serverPassword;

    /**
     * For {@code shadow=clone}: a database on the PostgreSQL server at {@code serverUrl} holding a full-size copy of
     * production, copied for each rehearsal with {@code CREATE DATABASE ... TEMPLATE} (no other session may be
     * connected to it meanwhile) and never written to; the copy is dropped at the end. Default: none.
     */
    @Parameter(property = "schema.cloneTemplate")
    private String cloneTemplate;

    /**
     * For {@code shadow=clone}: a command that makes a full-size writable copy of production and prints its JDBC URL
     * as the last line of its standard output. It runs in the project's folder without a shell (words split at blanks,
     * quoted with '…' or "…"; write {@code sh -c '…'} for a shell), with a fresh name in
     * {@code SCHEMA_REHEARSAL_CLONE_NAME}. Credentials as for {@code serverUrl}. Default: none.
     */
    @Parameter(property = "schema.cloneCommand")
    private String cloneCommand;

    /**
     * The command that destroys the clone, run at the end whatever happened, with the clone's URL in
     * {@code SCHEMA_REHEARSAL_CLONE_URL} (empty if none was printed), the create command's output in
     * {@code SCHEMA_REHEARSAL_CLONE_OUTPUT} and the name in {@code SCHEMA_REHEARSAL_CLONE_NAME}. Required with
     * {@code cloneCommand}. Default: none.
     */
    @Parameter(property = "schema.cloneDestroyCommand")
    private String cloneDestroyCommand;

    /** How long {@code cloneCommand} and {@code cloneDestroyCommand} may each run, in seconds. */
    @Parameter(property = "schema.cloneTimeoutSeconds", defaultValue = "600")
    private long cloneTimeoutSeconds;

    /**
     * One CSV per table, {@code <table>.csv} or {@code <schema>.<table>.csv}, header row = column names. Default:
     * {@code src/rehearsal/data}, which may be absent; a directory set here must exist.
     */
    @Parameter(property = "schema.data")
    private File dataDirectory;

    /**
     * Grows the loaded sample on the server: a factor for every loaded table ({@code 10}), or target row counts per
     * table ({@code orders=400000,customers=100000}, names optionally {@code schema.table}). Unique keys stay unique
     * and foreign keys keep resolving. Default: none, the sample stays as loaded.
     */
    @Parameter(property = "schema.scale")
    private String scale;

    /**
     * Production's statistics snapshot (row counts and column statistics per table; format in the README). Default: {@code src/rehearsal/stats.json} when it exists.
     */
    @Parameter(property = "schema.statistics")
    private File statistics;

    /**
     * The unquoted CSV field that means NULL, e.g. {@code \N}; any other field, an empty one included, is text.
     * Default: none, so an empty unquoted field is NULL and a quoted empty field
     * ({@code ""}) is the empty string.
     */
    @Parameter(property = "schema.nullMarker")
    private String nullMarker;

    /** The CSV files' character encoding, a Java charset name. */
    @Parameter(property = "schema.encoding", defaultValue = "UTF-8")
    private String encoding;

    /**
     * The longest acceptable lock blocking reads or writes, measured or estimated at production size, in
     * milliseconds.
     */
    @Parameter(property = "schema.maxLockMs", defaultValue = "1000")
    private long maxLockMs;

    /** The longest acceptable stall of the probe workload, in milliseconds. */
    @Parameter(property = "schema.maxStallMs", defaultValue = "500")
    private long maxStallMs;

    /**
     * The most storage, in MB, written to pad the loaded tables with empty pages towards production's page counts
     * (the statistics snapshot's {@code pages}, PostgreSQL), so that the queries plan as on production's sizes; the
     * padding is removed while the migrations run. Past it, every table is padded to the same share of its
     * production size; 0 turns the padding off. Property {@code schema.maxPaddingMb}.
     */
    @Parameter(property = "schema.maxPaddingMb", defaultValue = "256")
    private long maxPaddingMb;

    /**
     * Backfill definitions, one per {@code .sql} file (header lines, then one statement using {@code :from} and
     * {@code :to}; format in the README). Property {@code schema.backfills}; default: {@code src/rehearsal/backfills},
     * which may be absent; a folder set here must exist.
     */
    @Parameter(property = "schema.backfills")
    private File backfills;

    /**
     * The longest acceptable backfill at production size (estimated from the statistics' row counts), in
     * milliseconds; longer is a {@code backfill-slow} finding. Property {@code schema.maxBackfillMs}; default: none,
     * no limit.
     */
    @Parameter(property = "schema.maxBackfillMs")
    private Long maxBackfillMs;

    /**
     * Try several batch sizes for each backfill on the sample (500, 2,000, 10,000, 50,000; each batch rolled back)
     * and recommend the largest whose probe-stall p95 stays under {@code maxStallMs}. Property
     * {@code schema.adviseBatch}; default {@code false}.
     */
    @Parameter(property = "schema.adviseBatch", defaultValue = "false")
    private boolean adviseBatch;

    /**
     * The time box of each backfill at full size, in seconds: batches spread uniformly across the key's range (the
     * lowest, the highest, then the gaps halved) run until it ends, and the whole is extrapolated with a range; 0 runs
     * every batch. Default: 60 on a clone, else none (every batch runs).
     */
    @Parameter(property = "schema.backfillSampleSeconds")
    private Long backfillSampleSeconds;

    /**
     * The workload whose plans are compared before and after the pending migrations: each query preceded by a
     * {@code -- name: <id>} line (and optionally {@code -- weight: N}), ended by {@code ;} at a line end; a path
     * relative to the project, or {@code none} for no workload. Property {@code schema.queries}; default:
     * {@code src/rehearsal/queries.sql} when it exists.
     */
    @Parameter(property = "schema.queries")
    private String queries;

    /**
     * Production's plans of the queries, as {@code schema:sample} captures them ({@code schema.productionPlans});
     * default: {@code src/rehearsal/plans.json} when it exists. With it the report scores how many queries the
     * shadow plans as production does, and a regression of a query it plans otherwise is an uncertain warning.
     */
    @Parameter(property = "schema.productionPlans")
    private File productionPlans;

    /**
     * Also EXPLAIN ANALYZE the queries: each runs 3 times, rolled back; the median run's times are reported and the
     * pages it read are compared.
     * Property {@code schema.analyze}; default {@code false}.
     */
    @Parameter(property = "schema.analyze", defaultValue = "false")
    private boolean analyze;

    /**
     * The factor by which a query's planner cost may grow before its plan counts as a regression (a fall by as much
     * is an improvement). Property {@code schema.maxCostRatio}; default {@code 2}.
     */
    @Parameter(property = "schema.maxCostRatio", defaultValue = "2")
    private double maxCostRatio;

    /**
     * A table of at least this many rows (the planner's count) read in full where an index served before is a plan
     * regression. Property {@code schema.largeTableRows}; default {@code 10000}.
     */
    @Parameter(property = "schema.largeTableRows", defaultValue = "10000")
    private long largeTableRows;

    /**
     * The factor by which a query's estimated rows read (and, analyzed, its pages read) may grow before its plan
     * counts as a regression. Property {@code schema.maxReadGrowth}; default {@code 4}.
     */
    @Parameter(property = "schema.maxReadGrowth", defaultValue = "4")
    private double maxReadGrowth;

    /**
     * The history each run is appended to and compared with, for nightly jobs: findings marked new, known or resolved,
     * trends, what changed since last week. {@code true} for the folder {@code .schema-rehearsal/history} in the
     * project, another folder, or the JDBC URL of a PostgreSQL or MySQL/MariaDB database (its table is created on first
     * use). Property {@code schema.history}; default: none.
     */
    @Parameter(property = "schema.history")
    private String history;

    /**
     * The {@code <server>} in settings.xml whose username and password connect to the history's database. Property
     * {@code schema.historyServerId}; default: none, the URL's own credentials.
     */
    @Parameter(property = "schema.historyServerId")
    private String historyServerId;

    /**
     * How many runs of each branch the history keeps; older ones are deleted as a run is appended. Property
     * {@code schema.historyKeep}.
     */
    @Parameter(property = "schema.historyKeep", defaultValue = "90")
    private int historyKeep;

    @Parameter(defaultValue = "${settings}", readonly = true)
    private Settings settings;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    private RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true)
    private List<RemoteRepository> pluginRepositories;

    @Component
    private RepositorySystem repositorySystem;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    String work() {
        return "rehearsal";
    }

    @Override
    void run(RehearsalListener listener) throws MojoFailureException {
        RehearsalResult result = configure().run(listener);
        summarize(result);
        if (!result.failures().isEmpty()) {
            Finding first = result.failures().get(0);
            String report = " Report: " + reportDirectory.toPath().resolve(Reports.HTML);
            if (result.stoppedAt() != null) {
                // Nothing was rehearsed: no failOn policy accepts that.
                throw new MojoFailureException("Schema rehearsal stopped at the " + result.stoppedAt() + " stage: ["
                        + first.rule().id() + "] " + Secrets.redact(first.message()) + "." + report);
            }
            throw new MojoFailureException("Schema rehearsal failed: " + result.failures().size() + " finding(s) match <failOn>"
                    + failOn + "</failOn>. First: [" + first.rule().id() + "] " + Secrets.redact(first.message())
                    + report + ". Fix the migrations, or change <failOn> if these findings are accepted");
        }
    }

    /**
     * Waits for the JVM to end: it does once its shutdown hooks have removed the shadows and said so. Returning would
     * have Maven close this plugin's class loader under those hooks (Testcontainers' among them), which then fail
     * with a stack trace for each class they had yet to load.
     */
    private static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Nothing to do but wait: the JVM is ending.
            }
        }
    }

    private Rehearsal configure() throws MojoFailureException {
        ServerCredentials credentials = ServerCredentials.resolve(serverId, serverUser, serverPassword,
                "<serverUser>/<serverPassword>", settings, settingsDecrypter, getLog());
        ServerCredentials historyCredentials = ServerCredentials.resolve(historyServerId, null, null,
                "the user and password in <history>'s URL", settings, settingsDecrypter, getLog());
        Rehearsal.Builder builder = configureShared()
                .history(history, historyCredentials.user(), historyCredentials.password())
                .historyKeep(historyKeep);
        if (RehearsalConfig.Plans.NONE.equals(queries)) {
            builder.noQueries();
        } else {
            builder.queries(queries == null ? null : Path.of(queries));
        }
        return builder
                .shadow(shadow)
                .image(image)
                .server(serverUrl, credentials.user(), credentials.password())
                .cloneTemplate(cloneTemplate)
                .cloneCommand(cloneCommand)
                .cloneDestroyCommand(cloneDestroyCommand)
                .cloneTimeoutSeconds(cloneTimeoutSeconds)
                .backfillSampleSeconds(backfillSampleSeconds)
                .dataDirectory(dataDirectory == null ? null : dataDirectory.toPath())
                .nullMarker(nullMarker)
                .encoding(encoding)
                .scale(scale)
                .statistics(statistics == null ? null : statistics.toPath())
                .maxLockMs(maxLockMs)
                .maxStallMs(maxStallMs)
                .maxPaddingMb(maxPaddingMb)
                .backfills(backfills == null ? null : backfills.toPath())
                .maxBackfillMs(maxBackfillMs)
                .adviseBatch(adviseBatch)
                .productionPlans(productionPlans == null ? null : productionPlans.toPath())
                .analyze(analyze)
                .maxCostRatio(maxCostRatio)
                .largeTableRows(largeTableRows)
                .maxReadGrowth(maxReadGrowth)
                .embeddedBinaries(this::resolveBinaries)
                .load();
    }

    private Path resolveBinaries(String artifactId, String version) {
        String coordinates = "io.zonky.test.postgres:" + artifactId + ":" + version;
        getLog().info("Resolving embedded PostgreSQL binaries " + coordinates);
        try {
            return repositorySystem.resolveArtifact(repositorySession,
                    new ArtifactRequest(new DefaultArtifact(coordinates), pluginRepositories, null))
                    .getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new InfrastructureException("could not resolve " + coordinates + ": " + e.getMessage(),
                    "check the network or your repository mirror, or set <shadow>container</shadow> or <serverUrl>", e);
        }
    }

    /** The last lines of the log: verdict, counts by severity, the costliest findings, where every report is. */
    private void summarize(RehearsalResult result) {
        getLog().info("------------------------------------------------------------------------");
        getLog().info("Schema rehearsal verdict: " + result.verdict().name() + " ("
                + Reports.countsBySeverity(result.findings()) + ")");
        if (result.history() != null) {
            getLog().info(Secrets.redact(Reports.historyLine(result)));
            if (!result.history().summary().isEmpty()) {
                getLog().info("Trends: " + result.history().summary());
            }
            for (RehearsalResult.Drift drift : result.drift()) {
                getLog().warn("Production's own plan of " + drift.query() + " changed between its captures: "
                        + String.join("; ", drift.changes()));
            }
        }
        // Ranked by their impact on production, the worst first.
        List<Finding> worst = result.findings();
        for (Finding finding : worst.subList(0, Math.min(LOGGED_FINDINGS, worst.size()))) {
            String line = "  [" + finding.severity().name().toLowerCase(Locale.ROOT) + "] "
                    + (finding.history() == null ? "" : "[" + finding.history().name().toLowerCase(Locale.ROOT) + "] ")
                    + finding.rule().id() + ": " + Secrets.redact(finding.message()) + (finding.impactMs() == 0 ? ""
                    : " (production blocked about " + Durations.human(finding.impactMs()) + ")");
            switch (finding.severity()) {
                case ERROR -> getLog().error(line);
                case WARNING -> getLog().warn(line);
                case INFO -> getLog().info(line);
            }
        }
        if (worst.size() > LOGGED_FINDINGS) {
            String more = "  …and " + (worst.size() - LOGGED_FINDINGS) + " more in " + Reports.HTML;
            // Worst first: the first left out is the worst of them.
            if (worst.get(LOGGED_FINDINGS).severity() == Severity.INFO) {
                getLog().info(more);
            } else {
                getLog().warn(more);
            }
        }
        for (Finding resolved : result.resolvedFindings()) {
            getLog().info("  [resolved] " + resolved.rule().id() + ": " + Reports.where(resolved));
        }
        getLog().info("Reports:");
        for (Path report : Reports.paths(reportDirectory.toPath())) {
            getLog().info("  " + report);
        }
    }
}
