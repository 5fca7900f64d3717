package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Brings the shadow to the baseline and applies the pending migrations one by one, tracing each statement while the
 * probe workload runs; the migrations' source decides how they are applied.
 */
public final class MigrationRunner {
    private final MigrationSource source;
    private final Dialect dialect;
    private final ShadowDatabase shadow;
    private final RehearsalListener listener;
    private final List<Query> queries;

    public MigrationRunner(MigrationSource source, ShadowDatabase shadow, RehearsalListener listener) {
        this(source, shadow, listener, List.of());
    }

    /** @param queries the project's queries, which the probe workload runs where they name a table the migrations touch */
    public MigrationRunner(MigrationSource source, ShadowDatabase shadow, RehearsalListener listener, List<Query> queries) {
        this.source = source;
        this.queries = List.copyOf(queries);
        this.dialect = shadow.dialect();
        this.shadow = shadow;
        this.listener = listener;
    }

    /**
     * Applies every migration up to and including the baseline (none for {@code none}); returns the pending ones, in
     * the order they apply.
     *
     * @throws BaselineFailed when one of them fails
     */
    public List<Migration> migrateToBaseline(String baseline) {
        BaselineTrace trace = new BaselineTrace(source);
        List<Migration> pending;
        try {
            pending = source.migrateToBaseline(shadow.dataSource(Purpose.MIGRATION,
                    real -> TracedConnection.wrap(real, trace)), baseline, trace);
        } catch (MigrationSource.Failed e) {
            Migration failed = trace.failing();
            if (failed == null || Interruption.interrupted()) {
                throw e.original();
            }
            MigrationResult result = trace.failed(e.error());
            Integer statement = result.statements().isEmpty() ? null : result.statements().size();
            throw new BaselineFailed(result, Finding.ofMigration(Rule.MIGRATION_FAILED, failed.version(), statement,
                    null, failed.script() + " failed while the shadow was brought to the baseline (" + baseline + "): "
                            + e.error() + ". Nothing was rehearsed. Fix: the migrations up to the baseline build "
                            + "production's schema, so they must apply in order on an empty " + dialect.engine().id()
                            + " " + shadow.serverVersion() + " database (set <engineVersion> to production's version "
                            + "if it differs); what production got outside them (extensions, roles, objects made by "
                            + "hand) belongs in a migration too"));
        }
        listener.info((RehearsalConfig.Migrations.NONE.equals(baseline) ? "Baseline none: the shadow starts empty, "
                + "without sample data, statistics or queries" : "Baseline " + baseline + " applied") + "; pending: "
                + (pending.isEmpty() ? "none"
                : pending.stream().map(Migration::script).collect(Collectors.joining(", "))));
        return pending;
    }

    /**
     * On a clone, which is production: takes it as being at the baseline, or, when none is given, at the version it
     * records (Flyway's history), running none of the migrations up to it.
     *
     * @param baseline the version production is at, or {@code null} to read it from the clone's record
     * @throws dev.schemarehearsal.harness.api.ConfigurationException naming {@code baseline} when none is given and
     *                                                                the clone records none, or when the two differ
     */
    public Baseline takeAsBaseline(String baseline) {
        String version = baseline;
        if (version == null) {
            MigrationSource.Recorded recorded = source.recordedVersion().orElseThrow(() -> new ConfigurationException(
                    "baseline", "no baseline is set, and the clone records no applied migration to read it from",
                    "set <baseline> to the migration version production is at"));
            version = recorded.version();
            listener.info("Baseline " + version + ": production's version, read from the clone's " + recorded.where());
        }
        List<Migration> pending = source.takeAsBaseline(version);
        listener.info("Baseline " + version + " taken as applied: the clone holds production's schema and data; pending: "
                + (pending.isEmpty() ? "none" : pending.stream().map(Migration::script).collect(Collectors.joining(", "))));
        return new Baseline(version, pending);
    }

    /** The version production is at, and the migrations pending above it in the order they apply. */
    public record Baseline(String version, List<Migration> pending) {
        public Baseline {
            pending = List.copyOf(pending);
        }
    }

    /**
     * A migration up to the baseline failed: production's schema could not be built on the shadow, so nothing can be
     * rehearsed.
     */
    public static final class BaselineFailed extends RuntimeException {
        private final transient MigrationResult migration;
        private final transient Finding finding;

        BaselineFailed(MigrationResult migration, Finding finding) {
            super(finding.message());
            this.migration = migration;
            this.finding = finding;
        }

        /** The migration that failed, with the statements it ran, the last one failed. */
        public MigrationResult migration() {
            return migration;
        }

        /** Its {@code migration-failed} finding, at the failed statement. */
        public Finding finding() {
            return finding;
        }
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
     * the migration tool does.
     */
    public Outcome applyPending(List<Migration> pending, long maxLockMs, long maxStallMs) {
        return applyPending(pending, maxLockMs, maxStallMs, AfterMigration.NONE, AfterEach.NONE);
    }

    /**
     * As {@link #applyPending(List, long, long)}, running {@code after} once each migration it names is committed
     * (the source migrates up to that version, then on to the next stop, then to the end), and telling
     * {@code afterEach} about every migration applied.
     */
    public Outcome applyPending(List<Migration> pending, long maxLockMs, long maxStallMs, AfterMigration after,
                                AfterEach afterEach) {
        Tracer tracer = new Tracer(dialect, source, shadow, listener);
        StorageGrowth growth = new StorageGrowth(shadow, source, listener);
        Timing timing = new Timing(tracer, afterEach, growth);
        List<Finding> findings = new ArrayList<>();
        long origin = System.nanoTime();
        Probes probes = startProbes(pending, after.tables());
        try {
            DataSource traced = shadow.dataSource(Purpose.MIGRATION, real -> TracedConnection.wrap(real, tracer));
            // In the order they apply.
            List<String> stops = pending.stream().map(Migration::version)
                    .filter(v -> v != null && after.versions().contains(v)).toList();
            for (String stop : stops) {
                source.migrate(traced, stop, timing);
                growth.settle();
                after.run(stop, probes);
            }
            source.migrate(traced, null, timing);
        } catch (MigrationSource.Failed e) {
            Migration failed = timing.current;
            if (failed == null || Interruption.interrupted()) {
                // Interrupted: the shadow was removed under the migration, which says nothing of the migration.
                throw e.original();
            }
            long durationMs = (System.nanoTime() - timing.startedAt) / 1_000_000;
            timing.applied.add(new Applied(failed, MigrationStatus.FAILED, durationMs, e.error(), timing.failedStatements,
                    leftBehind(failed, timing.schemaBefore), tracer.session()));
            List<String> notRun = pending.stream().filter(m -> timing.applied.stream()
                    .noneMatch(r -> r.migration.script().equals(m.script()))).map(Migration::script).toList();
            findings.add(Finding.ofMigration(Rule.MIGRATION_FAILED, failed.version(), null, null,
                    failed.script() + " failed on the shadow: " + e.error()
                            + (notRun.isEmpty() ? "" : ". Not applied after it: " + String.join(", ", notRun))
                            + ". Fix the migration; production would stop at the same point."));
            listener.warn("Migration " + failed.script() + " failed: " + e.error());
        } finally {
            growth.settle();
            growth.close();
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
            try (Connection connection = shadow.connect(Purpose.PLANS)) {
                timing.afterApplied(connection);
            } catch (SQLException e) {
                listener.warn("Plans after " + timing.unplanned.script() + " not taken: " + e.getMessage());
            }
        }
        List<Probes.Probe> ran = probes.ran();
        Optional<List<Probes.Waited>> waits = probes.waits();
        List<MigrationResult> results = timing.applied.stream().map(a -> a.result(ran, waits, growth)).toList();
        List<Finding> atomicity = new Atomicity(source, dialect, shadow, listener).check(results);
        if (timing.applied.stream().allMatch(a -> a.status == MigrationStatus.APPLIED)) {
            // Repeatable migrations also run at the baseline: check every one applied, not only the pending ones.
            findings.addAll(new Repeatables(source, dialect, shadow).check(source.applied()));
        }
        StatementFindings measured = new StatementFindings(dialect, maxStallMs);
        // Findings in the order the migrations ran, each one's atomicity after its statements', the failure last.
        List<Finding> all = new ArrayList<>(results.stream().flatMap(m -> Stream.concat(measured.of(m).stream(),
                atomicity.stream().filter(f -> f.migration().equals(m.version())))).toList());
        all.addAll(findings);
        List<StatementSpan> spans = timing.applied.stream().flatMap(a -> a.statements.stream()
                .map(t -> new StatementSpan(a.migration.version(), a.migration.script(), t.index,
                        ProbeTimeline.ms(t.startNanos - origin), ProbeTimeline.ms(t.endNanos - origin)))).toList();
        return new Outcome(results, all, ProbeTimeline.of(ran, origin, spans));
    }

    /**
     * A migration the source applied, with its statements as traced.
     *
     * @param session its session as the engine's lock views know it, 0 when not known
     */
    private record Applied(Migration migration, MigrationStatus status, long durationMs, String error,
                           List<Tracer.Trace> statements, List<String> leftBehind, long session) {
        /**
         * What it did: each statement with the locks held while it ran, its lock windows, the probes' waits on each,
         * and the storage it added or freed.
         */
        MigrationResult result(List<Probes.Probe> probes, Optional<List<Probes.Waited>> waits, StorageGrowth growth) {
            List<Integer> lines = ScriptLines.of(migration.location(), statements.stream().map(t -> t.sql).toList());
            List<StatementResult> traced = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                Tracer.Trace trace = statements.get(i);
                traced.add(trace.result(lines.get(trace.index - 1), statements.subList(0, i)));
            }
            List<Stalls.Span> spans = statements.stream()
                    .map(t -> new Stalls.Span(t.index, t.startNanos, t.endNanos, t.lockEndNanos)).toList();
            Stalls.Attributed stalls = Stalls.attribute(probes, waits, session, traced, spans, LockWindows.of(traced));
            return new MigrationResult(migration.version(), migration.description(), migration.script(), status,
                    durationMs, error, stalls.statements(), leftBehind, stalls.windows(), growth.of(migration.script()));
        }
    }

    /** How the schema the failed migration left differs from the schema before it. */
    private List<String> leftBehind(Migration failed, List<String> before) {
        try (Connection connection = shadow.connect(Purpose.CATALOG)) {
            return Atomicity.difference(before, dialect.schemaObjects(connection));
        } catch (SQLException e) {
            listener.warn("Could not read the schema " + failed.script() + " left behind: " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Starts the probe workload on the tables the pending migrations touch: the existing tables their scripts name,
     * or all of them when a migration has no script to read (Java migrations).
     */
    private Probes startProbes(List<Migration> pending, List<String> alsoProbe) {
        try (Connection connection = shadow.connect(Purpose.CATALOG)) {
            List<String> tables = Tracer.userTables(dialect, connection, source);
            StringBuilder scripts = new StringBuilder();
            boolean allReadable = true;
            for (Migration migration : pending) {
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
            Probes probes = Probes.start(Probes.round(targets, probed.stream().filter(q -> usual.containsKey(q.name()))
                    .toList(), usual), targets, shadow);
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

    /** The migration's script, or {@code null} when it has none to read (a Java migration). */
    private static String scriptText(Migration migration) {
        try {
            return Files.readString(Path.of(migration.location()));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Times each migration the source applies and opens and closes the tracer's window around it. */
    private final class Timing implements MigrationSource.Events {
        final List<Applied> applied = new ArrayList<>();
        final Tracer tracer;
        final AfterEach afterEach;
        final StorageGrowth growth;
        /** Applied, but its transaction may not have ended yet: told to {@link AfterEach} once it has. */
        Migration unplanned;
        Migration current;
        long startedAt;
        List<Tracer.Trace> failedStatements = List.of();
        /** The schema before the current migration, to tell what it left behind if it fails. */
        List<String> schemaBefore = List.of();

        Timing(Tracer tracer, AfterEach afterEach, StorageGrowth growth) {
            this.tracer = tracer;
            this.afterEach = afterEach;
            this.growth = growth;
        }

        @Override
        public void starting(Migration migration, Connection session) throws SQLException {
            afterApplied(TracedConnection.unwrap(session));
            growth.starting(migration.script());
            current = migration;
            listener.info("Applying " + migration.script());
            tracer.begin(session);
            schemaBefore = dialect.schemaObjects(TracedConnection.unwrap(session));
            startedAt = System.nanoTime();
        }

        @Override
        public void failed(Migration migration) {
            failedStatements = tracer.end();
        }

        @Override
        public void applied(Migration migration) {
            long durationMs = (System.nanoTime() - startedAt) / 1_000_000;
            List<Tracer.Trace> statements = tracer.end();
            applied.add(new Applied(migration, MigrationStatus.APPLIED, durationMs, null, statements, List.of(),
                    tracer.session()));
            listener.info("Applied " + migration.script() + " in " + human(durationMs));
            String empty = statements.isEmpty() ? source.ranNoStatement(migration) : null;
            if (empty != null) {
                listener.warn(migration.script() + " is empty: " + empty);
            }
            current = null;
            unplanned = migration;
        }

        void afterApplied(Connection connection) {
            if (unplanned != null) {
                tracer.settle();
                afterEach.applied(connection, unplanned.version(), unplanned.script(), scriptText(unplanned));
                unplanned = null;
            }
        }
    }
}
