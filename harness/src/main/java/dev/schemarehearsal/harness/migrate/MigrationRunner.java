package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Brings the shadow to the baseline and applies the pending migrations with Flyway, so placeholders, script
 * configuration and transaction handling are Flyway's own.
 */
public final class MigrationRunner {
    /** Flyway's own progress lines repeat ours: keep its warnings only. Held so the level isn't collected away. */
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(Level.WARNING);
    }

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    private final List<String> locations;
    private final ShadowDatabase shadow;
    private final Dialect dialect;
    private final String url;
    private final String user;
    private final String password;
    private final RehearsalListener listener;
    private final List<Query> queries;

    public MigrationRunner(List<String> locations, ShadowDatabase shadow, RehearsalListener listener) {
        this(locations, shadow, listener, List.of());
    }

    /** @param queries the project's queries, which the probe workload runs where they name a table the migrations touch */
    public MigrationRunner(List<String> locations, ShadowDatabase shadow, RehearsalListener listener, List<Query> queries) {
        this.queries = List.copyOf(queries);
        this.locations = List.copyOf(locations);
        this.shadow = shadow;
        this.dialect = Dialect.of(shadow.engine());
        this.url = shadow.jdbcUrl();
        this.user = shadow.user();
        this.password = shadow.password();
        this.listener = listener;
    }

    /** Applies every migration up to and including the baseline; returns the pending ones' count. */
    public List<MigrationInfo> migrateToBaseline(String baseline) {
        Flyway flyway = configure().target(MigrationVersion.LATEST).load();
        List<MigrationInfo> all = Arrays.asList(flyway.info().all());
        requireBaseline(locations, all.stream().map(MigrationInfo::getVersion).filter(v -> v != null).toList(), baseline);
        MigrationVersion target = MigrationVersion.fromVersion(baseline);
        configure().target(target).load().migrate();
        List<MigrationInfo> pending = Arrays.asList(flyway.info().pending());
        listener.info("Baseline " + baseline + " applied; pending: " + (pending.isEmpty() ? "none"
                : pending.stream().map(MigrationRunner::label).collect(Collectors.joining(", "))));
        return pending;
    }

    /**
     * Told after each pending migration applied, once its transaction ended, so that what it does holds no lock of
     * the migration's: before the next migration's first statement, on that migration's session (untraced; its
     * transaction, if any, is open), or on a session of its own after the last one.
     */
    public interface AfterEach {
        /**
         * @param version the migration's version, {@code null} for a repeatable one
         * @param text    the script's text, or {@code null} when it has none to read (Java migrations)
         */
        void applied(Connection connection, String version, String script, String text);

        AfterEach NONE = (connection, version, script, text) -> { };
    }

    /** What applying the pending migrations did, and the probe workload's latencies meanwhile. */
    public record Outcome(List<MigrationResult> migrations, List<Finding> findings, Timeline timeline) { }

    /**
     * Applies the pending migrations one by one, timing and tracing each statement; stops at the first failure, as
     * Flyway does.
     */
    public Outcome applyPending(List<MigrationInfo> pending, long maxLockMs, long maxStallMs) {
        return applyPending(pending, maxLockMs, maxStallMs, AfterMigration.NONE, AfterEach.NONE);
    }

    /**
     * As {@link #applyPending(List, long, long)}, running {@code after} once each migration it names is committed
     * (Flyway migrates up to that version with {@code target}, then on to the next stop, then to the end), and
     * telling {@code afterEach} about every migration applied.
     */
    public Outcome applyPending(List<MigrationInfo> pending, long maxLockMs, long maxStallMs, AfterMigration after,
                                AfterEach afterEach) {
        FluentConfiguration configuration = configure();
        Tracer tracer = new Tracer(dialect, configuration.getTable(), url, user, password);
        Timing timing = new Timing(tracer, afterEach);
        List<Finding> findings = new ArrayList<>();
        long origin = System.nanoTime();
        Probes probes = startProbes(pending, configuration.getTable(), after.tables());
        try {
            configuration.dataSource(new TracingDataSource(url, user, password, tracer)).callbacks(timing);
            List<MigrationVersion> stops = pending.stream().map(MigrationInfo::getVersion)
                    .filter(v -> v != null && after.versions().contains(v.getVersion())).sorted().toList();
            for (MigrationVersion stop : stops) {
                configuration.target(stop).load().migrate();
                after.run(stop.getVersion(), probes);
            }
            configuration.target(MigrationVersion.LATEST).load().migrate();
        } catch (FlywayException e) {
            MigrationInfo failed = timing.current;
            String error = engineError(e);
            if (failed == null || Interruption.interrupted()) {
                // Interrupted: the shadow was removed under the migration, which says nothing of the migration.
                throw e;
            }
            long durationMs = (System.nanoTime() - timing.startedAt) / 1_000_000;
            timing.applied.add(new Applied(failed, MigrationStatus.FAILED, durationMs, error, timing.failedStatements,
                    leftBehind(failed, timing.schemaBefore)));
            List<String> notRun = pending.stream().filter(m -> timing.applied.stream()
                    .noneMatch(r -> r.migration.getScript().equals(m.getScript()))).map(MigrationRunner::label).toList();
            findings.add(Finding.ofMigration(Rule.MIGRATION_FAILED, version(failed), null, null,
                    label(failed) + " failed on the shadow: " + error
                            + (notRun.isEmpty() ? "" : ". Not applied after it: " + String.join(", ", notRun))
                            + ". Fix the migration; production would stop at the same point."));
            listener.warn("Migration " + label(failed) + " failed: " + error);
        } finally {
            probes.stop();
            probes.failures().forEach((probe, failed) -> listener.info("Probe " + probe + " failed " + failed.count()
                    + " time(s) while the migrations ran, first with: " + failed.first()));
            try {
                tracer.finish();
            } catch (SQLException e) {
                listener.warn("Could not close the lock observer session: " + e.getMessage());
            }
        }
        if (timing.unplanned != null) {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                timing.afterApplied(connection);
            } catch (SQLException e) {
                listener.warn("Plans after " + label(timing.unplanned) + " not taken: " + e.getMessage());
            }
        }
        List<Probes.Probe> ran = probes.ran();
        List<MigrationResult> results = timing.applied.stream().map(a -> a.result(ran)).toList();
        List<Finding> atomicity = new Atomicity(this::configure, shadow, listener).check(results);
        if (timing.applied.stream().allMatch(a -> a.status == MigrationStatus.APPLIED)) {
            // Repeatable migrations also run at the baseline: check every one applied, not only the pending ones.
            findings.addAll(new Repeatables(this::configure, dialect, url, user, password)
                    .check(Arrays.asList(configure().load().info().applied())));
        }
        StatementFindings measured = new StatementFindings(dialect, maxLockMs, maxStallMs);
        // Findings in the order the migrations ran, each one's atomicity after its statements', the failure last.
        List<Finding> all = new ArrayList<>(results.stream().flatMap(m -> Stream.concat(measured.of(m).stream(),
                atomicity.stream().filter(f -> f.migration().equals(m.version())))).toList());
        all.addAll(findings);
        List<StatementSpan> spans = timing.applied.stream().flatMap(a -> a.statements.stream()
                .map(t -> new StatementSpan(version(a.migration), a.migration.getScript(), t.index,
                        ProbeTimeline.ms(t.startNanos - origin), ProbeTimeline.ms(t.endNanos - origin)))).toList();
        return new Outcome(results, all, ProbeTimeline.of(ran, origin, spans));
    }

    /** A migration Flyway ran, with its statements as traced. */
    private record Applied(MigrationInfo migration, MigrationStatus status, long durationMs, String error,
                           List<Tracer.Trace> statements, List<String> leftBehind) {
        MigrationResult result(List<Probes.Probe> probes) {
            List<Integer> lines = ScriptLines.of(migration.getPhysicalLocation(),
                    statements.stream().map(t -> t.sql).toList());
            return new MigrationResult(version(migration), migration.getDescription(), migration.getScript(), status,
                    durationMs, error, statements.stream().map(t -> t.result(lines.get(t.index - 1),
                    Probes.stallMs(probes, t.startNanos, t.endNanos))).toList(), leftBehind);
        }
    }

    /** How the schema the failed migration left differs from the schema before it. */
    private List<String> leftBehind(MigrationInfo failed, List<String> before) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return Atomicity.difference(before, dialect.schemaObjects(connection));
        } catch (SQLException e) {
            listener.warn("Could not read the schema " + label(failed) + " left behind: " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Starts the probe workload on the tables the pending migrations touch: the existing tables their scripts name,
     * or all of them when a migration has no script to read (Java migrations).
     */
    private Probes startProbes(List<MigrationInfo> pending, String historyTable, List<String> alsoProbe) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            List<String> tables = Tracer.userTables(dialect, connection, historyTable);
            StringBuilder scripts = new StringBuilder();
            boolean allReadable = true;
            for (MigrationInfo migration : pending) {
                String text = scriptText(migration);
                if (text == null) {
                    allReadable = false;
                } else {
                    scripts.append(text).append('\n');
                }
            }
            String text = scripts + "\n" + String.join("\n", alsoProbe);
            List<String> touched = allReadable ? tables.stream().filter(t -> Probes.names(text, t)).toList() : tables;
            List<Query> probed = Probes.touching(queries, touched);
            Map<String, String> failing = new TreeMap<>();
            Map<String, Long> usual = Probes.usualNanos(connection, probed, failing);
            failing.forEach((query, error) -> listener.warn("Probes leave out query " + query
                    + ", which fails before the migrations: " + error));
            List<Probes.Target> targets = Probes.targets(dialect, connection, touched);
            Probes probes = Probes.start(dialect, Probes.round(targets, probed.stream()
                    .filter(q -> usual.containsKey(q.name())).toList(), usual), targets, url, user, password);
            listener.info("Probes: " + Probes.READERS + " readers and " + Probes.WRITERS + " writer on "
                    + (touched.isEmpty() ? "no table" : String.join(", ", touched)) + "; queries run: "
                    + (usual.isEmpty() ? "none" : String.join(", ", usual.keySet())));
            return probes;
        } catch (SQLException e) {
            // The migrations can still be traced without it; the stalls then read 0.
            listener.warn("Probe workload not started, probe stalls are not measured: " + e.getMessage());
            return Probes.none();
        }
    }

    private FluentConfiguration configure() {
        FluentConfiguration flyway = Flyway.configure(MigrationRunner.class.getClassLoader())
                .dataSource(url, user, password)
                .locations(locations.toArray(String[]::new))
                .cleanDisabled(true);
        dialect.configure(flyway);
        return flyway;
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

    /** The engine's own words, with the statement's line when Flyway knows it. */
    static String engineError(FlywayException e) {
        int line = -1;
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof SQLException)) {
            if (cause instanceof FlywaySqlScriptException script) {
                line = script.getLineNumber();
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage().strip();
        return line > 0 ? "line " + line + ": " + message : message;
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

    private static void requireBaseline(List<String> locations, List<MigrationVersion> versions, String baseline) {
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

    /** The migration's script, or {@code null} when it has none to read (a Java migration). */
    private static String scriptText(MigrationInfo migration) {
        try {
            return Files.readString(Path.of(migration.getPhysicalLocation()));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static String version(MigrationInfo migration) {
        return migration.getVersion() == null ? null : migration.getVersion().getVersion();
    }

    private static String label(MigrationInfo migration) {
        return migration.getScript();
    }

    /** Times each migration Flyway applies and opens and closes the tracer's window around it. */
    private final class Timing implements Callback {
        final List<Applied> applied = new ArrayList<>();
        final Tracer tracer;
        final AfterEach afterEach;
        /** Applied, but its transaction may not have ended yet: told to {@link AfterEach} once it has. */
        MigrationInfo unplanned;
        MigrationInfo current;
        long startedAt;
        List<Tracer.Trace> failedStatements = List.of();
        /** The schema before the current migration, to tell what it left behind if it fails. */
        List<String> schemaBefore = List.of();

        Timing(Tracer tracer, AfterEach afterEach) {
            this.tracer = tracer;
            this.afterEach = afterEach;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            MigrationInfo migration = context.getMigrationInfo();
            if (event == Event.BEFORE_EACH_MIGRATE) {
                afterApplied(TracingDataSource.unwrap(context.getConnection()));
                current = migration;
                listener.info("Applying " + label(migration));
                try {
                    tracer.begin(context.getConnection());
                    schemaBefore = dialect.schemaObjects(TracingDataSource.unwrap(context.getConnection()));
                } catch (SQLException e) {
                    throw new FlywayException("could not read the tables before " + label(migration) + ": "
                            + e.getMessage(), e);
                }
                startedAt = System.nanoTime();
                return;
            }
            if (event == Event.AFTER_EACH_MIGRATE_ERROR) {
                failedStatements = tracer.end();
                return;
            }
            long durationMs = (System.nanoTime() - startedAt) / 1_000_000;
            List<Tracer.Trace> statements = tracer.end();
            applied.add(new Applied(migration, MigrationStatus.APPLIED, durationMs, null, statements, List.of()));
            listener.info("Applied " + label(migration) + " in " + durationMs + " ms");
            if (statements.isEmpty() && CoreMigrationType.SQL.equals(migration.getType())) {
                listener.warn(label(migration) + " is empty: " + emptyScript(version(migration)));
            }
            current = null;
            unplanned = migration;
        }

        void afterApplied(Connection connection) {
            if (unplanned != null) {
                afterEach.applied(connection, version(unplanned), label(unplanned), scriptText(unplanned));
                unplanned = null;
            }
        }

        @Override
        public String getCallbackName() {
            return "schema-rehearsal-timing";
        }
    }
}
