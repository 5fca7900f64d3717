package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.api.StatisticsSnapshot.TableStatistics;
import dev.schemarehearsal.harness.data.ScaleUp;
import dev.schemarehearsal.harness.data.StoragePadding;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.SqlText;
import dev.schemarehearsal.harness.dialect.Measuring;
import dev.schemarehearsal.harness.dialect.Measuring.Memory;
import dev.schemarehearsal.harness.dialect.Measuring.Work;
import dev.schemarehearsal.harness.migrate.EstimateModel.Caveat;
import dev.schemarehearsal.harness.migrate.EstimateModel.Growth;
import dev.schemarehearsal.harness.migrate.EstimateModel.Production;
import dev.schemarehearsal.harness.migrate.EstimateModel.Size;
import dev.schemarehearsal.harness.plan.PlanShape;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Measures the statements and backfills whose production estimate matters at several sizes of the same data, on
 * scratch copies of the shadow as it was before the pending migrations ran: an empty twin (the fixed cost), the sample
 * as loaded, and a copy in production's proportions, every table the statements work through grown to the same share
 * of its production rows within {@link #ROW_BUDGET}, settled as production's old rows are and given production's
 * statistics. On each copy the migration source migrates up to the statement, which then runs alone, measured (rows
 * read and written, time; repeated where it takes under a second and can be undone, the median kept), and the
 * migration is stopped there: on PostgreSQL its transaction rolls back and the copy serves the next statement, where
 * DDL commits the copy is made again for the next. The backfills run on each copy at their migrations, their batches
 * timed. Where the engine pads storage to production's pages, a further copy so padded gives the plan production
 * would run each DML statement with, and the rows it would write.
 */
final class Calibration implements AutoCloseable {
    /** The most rows the copy in production's proportions grows its tables to, together. */
    static final long ROW_BUDGET = 1_000_000;
    /** The largest share of production a table is grown to: beyond it the copy costs more than it tells. */
    static final double MOST_OF_PRODUCTION = 0.25;
    /** A copy is worth making when it grows some table at least this many times over the sample. */
    static final double WORTH_GROWING = 2;
    private static final long REPEAT_BELOW_NANOS = 1_000_000_000L;
    private static final int RUNS = 3;
    private static final String STOP = "stopped on purpose by the schema rehearsal once the statement was measured";
    private static final Pattern BUILDS_INDEX = Pattern.compile("\\b(CREATE\\s+(UNIQUE\\s+)?INDEX|REINDEX|ADD\\s+"
            + "(CONSTRAINT\\s+\\S+\\s+)?(PRIMARY\\s+KEY|UNIQUE|INDEX|KEY|FULLTEXT|SPATIAL))\\b", Pattern.CASE_INSENSITIVE);
    /** The table a foreign key references, quoted or not, schema-qualified or not. */
    private static final Pattern REFERENCES = Pattern.compile("\\bREFERENCES\\s+((?:[`\"]?[\\w$]+[`\"]?\\s*\\.\\s*)?"
            + "[`\"]?[\\w$]+[`\"]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DML = Pattern.compile("^(WITH\\b.*?\\b)?(UPDATE|DELETE|INSERT|MERGE|REPLACE)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The copies, from the smallest. */
    enum Kind {
        EMPTY("the empty twin"), SAMPLE("the sample"), COPY("the copy in production's proportions"),
        PADDED("the sample padded to production's pages");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * A statement to measure.
     *
     * @param worked         the existing tables it rewrote, scanned or locked against reads or writes, as the trace
     *                       names them
     * @param afterCommitted whether a statement before it in its migration committed on the shadow (outside a
     *                       transaction, or DDL that commits), so that stopping the migration leaves the copy changed
     */
    record Target(String version, String script, StatementResult statement, List<String> worked,
                  boolean afterCommitted) {
        boolean dml() {
            return DML.matcher(SqlText.withoutLeadingComments(statement.sql())).find();
        }

        String name() {
            return script + " statement " + statement.index();
        }
    }

    /** One run of a statement on one copy; {@code error} when it failed there. */
    private record Reading(double ms, Work work, boolean transactional, PlanNode planned, Double readShare, String error) {
        static Reading failed(String error) {
            return new Reading(0, null, false, null, null, error);
        }
    }

    private record Run(double ms, Work work) { }

    private final Dialect dialect;
    private final Measuring measuring;
    private final MigrationSource source;
    private final List<String> order;
    private final ShadowDatabase baseline;
    private final BackfillRuns backfills;
    private final Statistics statistics;
    private final StatisticsSnapshot snapshot;
    private final long maxPaddingMb;
    private final RehearsalListener listener;
    private final Map<Kind, Copy> copies = new EnumMap<>(Kind.class);
    private final Map<Target, Map<Kind, Reading>> readings = new LinkedHashMap<>();
    private final Map<String, Map<Kind, BackfillRuns.Walked>> walks = new LinkedHashMap<>();
    private final Map<Kind, Long> spentNanos = new EnumMap<>(Kind.class);
    private Memory memory;

    /**
     * @param pending  the pending migrations in the order they apply
     * @param baseline a copy of the shadow as it was before the pending migrations ran, which nothing else uses
     */
    Calibration(Dialect dialect, MigrationSource source, List<Migration> pending, ShadowDatabase baseline,
                BackfillRuns backfills, Statistics statistics, StatisticsSnapshot snapshot, long maxPaddingMb,
                RehearsalListener listener) {
        this.dialect = dialect;
        this.measuring = dialect.measuring();
        this.source = source;
        this.order = pending.stream().map(Migration::version).filter(v -> v != null).toList();
        this.baseline = baseline;
        this.backfills = backfills;
        this.statistics = statistics;
        this.snapshot = snapshot;
        this.maxPaddingMb = maxPaddingMb;
        this.listener = listener;
    }

    /**
     * Measures every target and backfill on each copy, the copies one after the other.
     *
     * @param referenced the tables the pending migrations' foreign keys reference ({@link #referenced}): where the
     *                   engine copies table by table, a copy whose tables have rows needs theirs, or a migration adding
     *                   the foreign key fails there and every statement after it goes unmeasured
     */
    void measure(List<Target> targets, Set<String> referenced) {
        List<Target> ordered = targets.stream().sorted(Comparator.comparingInt((Target t) -> order.indexOf(t.version()))
                .thenComparingInt(t -> t.statement().index())).toList();
        ordered.forEach(t -> readings.put(t, new EnumMap<>(Kind.class)));
        Set<String> worked = new LinkedHashSet<>();
        ordered.forEach(t -> worked.addAll(t.worked()));
        worked.addAll(backfills.tables());
        List<Kind> kinds = new ArrayList<>(List.of(Kind.EMPTY, Kind.SAMPLE));
        boolean dml = ordered.stream().anyMatch(Target::dml);
        // DML reads tables its trace doesn't name (MySQL and MariaDB name only those read in full, and a join's plan
        // at production's size may read in full the table the sample's reads by key) and writes through foreign
        // keys to children: every table with production rows grows to the same share of them.
        Set<String> grown = new LinkedHashSet<>(worked);
        if (dml) {
            statistics.tables().stream().map(TableRows::table)
                    .filter(t -> worked.stream().noneMatch(w -> bare(w).equals(bare(t)))).forEach(grown::add);
        }
        Map<String, Long> growth = growth(grown);
        if (!growth.isEmpty()) {
            kinds.add(Kind.COPY);
        }
        boolean production = dialect.storagePadding().isPresent() && ordered.stream().anyMatch(Target::dml);
        if (production) {
            kinds.add(Kind.PADDED);
        }
        Set<String> needed = new LinkedHashSet<>(worked);
        needed.addAll(referenced);
        Set<String> rows = dml ? null : rowsNeeded(needed);
        int done = 0;
        int steps = kinds.size() * (ordered.size() + 1);
        long started = System.nanoTime();
        for (Kind kind : kinds) {
            long start = System.nanoTime();
            Copy copy = new Copy(kind, kind == Kind.COPY ? growth : Map.of(), rows, worked);
            copies.put(kind, copy);
            try {
                for (Target target : ordered) {
                    if (kind != Kind.PADDED || target.dml()) {
                        readings.get(target).put(kind, reach(copy, target));
                    }
                    progress(kind, ++done, steps, started);
                }
                if (kind != Kind.PADDED) {
                    copy.backfillsBefore(null);
                }
                progress(kind, ++done, steps, started);
            } catch (RuntimeException e) {
                if (Interruption.interrupted()) {
                    throw e;
                }
                listener.warn("Calibration on " + kind.label + " stopped: " + e.getMessage());
            } finally {
                copy.close();
                spentNanos.put(kind, System.nanoTime() - start);
            }
        }
    }

    private void progress(Kind kind, int done, int steps, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        double perSecond = elapsed == 0 ? 0 : done / elapsed;
        listener.on(RehearsalEvent.progress(new RehearsalEvent.Progress("calibrating estimates on " + kind.label, done,
                100.0 * done / steps, perSecond, Duration.ofSeconds(perSecond == 0 ? 0 : Math.round((steps - done) / perSecond)))));
    }

    /**
     * The target's estimate from what the copies measured; empty when none measured it ({@link #failure} says why).
     *
     * @param lacking gets the tables it read that have no production row count: taken at their size on the copy
     */
    Optional<ProductionEstimate> estimate(Target target, Set<String> lacking) {
        Map<Kind, Reading> measured = readings.getOrDefault(target, Map.of());
        List<Kind> kinds = measured.entrySet().stream()
                .filter(e -> e.getKey() != Kind.PADDED && e.getValue().error() == null).map(Map.Entry::getKey).toList();
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        Kind topKind = kinds.get(kinds.size() - 1);
        Reading top = measured.get(topKind);
        Copy largest = copies.get(topKind);
        // The rows read are counted where the engine counts them per table in the statement's transaction, or in the
        // session where the statement's work goes through it; else (outside a transaction on PostgreSQL, an ALTER
        // that MySQL or MariaDB carries out inside the storage engine) they are its tables' rows.
        String algorithm = target.statement().algorithm();
        boolean counted = top.work() != null && (measuring.countsPerTable() ? top.transactional()
                : algorithm == null || algorithm.startsWith("INSTANT"));
        List<Size> sizes = new ArrayList<>();
        for (Kind kind : kinds) {
            Reading reading = measured.get(kind);
            Copy copy = copies.get(kind);
            long rows = counted ? reading.work().totalRead()
                    : target.worked().stream().mapToLong(t -> copy.rows.getOrDefault(t, 0L)).sum();
            sizes.add(new Size(rows, reading.work() == null ? 0 : reading.work().totalWritten(), reading.ms()));
        }
        double productionRows = 0;
        if (counted) {
            for (Map.Entry<String, Long> read : top.work().read().entrySet()) {
                productionRows += read.getValue() * ratio(largest, read.getKey(), lacking);
            }
            double widest = target.worked().stream().mapToDouble(t -> ratio(largest, t, lacking)).max().orElse(1);
            productionRows += top.work().readElsewhere() * widest;
        } else {
            for (String table : target.worked()) {
                productionRows += largest.rows.getOrDefault(table, 0L) * ratio(largest, table, lacking);
            }
        }
        Reading padded = measured.get(Kind.PADDED);
        Reading sample = measured.get(Kind.SAMPLE);
        PlanNode production = padded != null && padded.planned() != null ? padded.planned()
                : sample != null ? sample.planned() : null;
        Double written = target.dml() && production != null ? measuring.plannedWrites(production) : null;
        boolean sorts = !target.statement().rewrites().isEmpty() || BUILDS_INDEX.matcher(target.statement().sql()).find();
        List<Caveat> caveats = new ArrayList<>();
        if (!lacking.isEmpty()) {
            caveats.add(new Caveat("no production row count for " + String.join(", ", lacking)
                    + ": taken at its size on the copy", 1, false));
        }
        caveats.addAll(memory(target, largest, sorts, lacking));
        if (production != null && top.planned() != null && (padded != null || topKind != Kind.SAMPLE)) {
            List<String> expected = PlanShape.serial(production);
            List<String> copied = PlanShape.serial(top.planned());
            if (!expected.equals(copied)) {
                int at = 0;
                while (at < Math.min(expected.size(), copied.size()) && expected.get(at).equals(copied.get(at))) {
                    at++;
                }
                caveats.add(new Caveat(String.format("production's plan (%s) differs from %s's (%s): range widened",
                        at < expected.size() ? expected.get(at) : "fewer nodes", topKind.label,
                        at < copied.size() ? copied.get(at) : "fewer nodes"), 2, true));
            }
        }
        return Optional.of(EstimateModel.statement(sizes, new Production(productionRows, written == null ? -1 : written),
                sorts ? Growth.SORT : Growth.LINEAR, target.dml(), top.readShare(), caveats));
    }

    /** Production's rows of the table over the copy's, 1 where production's are unknown (the table then lacking). */
    private double ratio(Copy copy, String table, Set<String> lacking) {
        Optional<Long> production = ProductionEstimates.productionRows(statistics, table);
        long rows = copy.rows.getOrDefault(table, 0L);
        if (production.isEmpty()) {
            if (copy.rows.containsKey(table)) {
                lacking.add(table);
            }
            return 1;
        }
        return rows == 0 ? 1 : (double) production.get() / rows;
    }

    /**
     * Where production's tables cross a memory limit the copy's didn't: an index build's sort beyond the sort memory,
     * writes to tables larger than the buffer pool.
     */
    private List<Caveat> memory(Target target, Copy copy, boolean sorts, Set<String> lacking) {
        if (memory == null) {
            return List.of();
        }
        double production = 0;
        long copied = 0;
        for (String table : target.worked()) {
            long bytes = copy.bytes.getOrDefault(table, 0L);
            copied += bytes;
            production += productionBytes(table).orElse(bytes * ratio(copy, table, lacking));
        }
        List<Caveat> caveats = new ArrayList<>();
        if (sorts && production > memory.sortBytes() && copied <= memory.sortBytes()) {
            caveats.add(new Caveat(String.format(Locale.ROOT, "production's %s exceed %s (%s), the copy's %s did not: "
                            + "its sort spills to disk", megabytes(production), memory.sortSetting(),
                    megabytes(memory.sortBytes()), megabytes(copied)), 1.5, false));
        }
        boolean writes = target.dml() || !target.statement().rewrites().isEmpty();
        if (writes && production > memory.bufferBytes() && copied <= memory.bufferBytes()) {
            caveats.add(new Caveat(String.format(Locale.ROOT, "production's %s exceed %s (%s), the copy's %s did not: "
                            + "its writes wait for the disk", megabytes(production), memory.bufferSetting(),
                    megabytes(memory.bufferBytes()), megabytes(copied)), 1.5, false));
        }
        return caveats;
    }

    private Optional<Double> productionBytes(String table) {
        if (snapshot == null) {
            return Optional.empty();
        }
        String bare = table.substring(table.lastIndexOf('.') + 1);
        return snapshot.tables().entrySet().stream()
                .filter(e -> e.getKey().equals(table) || e.getKey().substring(e.getKey().lastIndexOf('.') + 1).equals(bare))
                .map(e -> e.getValue().bytes()).filter(b -> b != null).map(Long::doubleValue).findFirst();
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }

    private static String megabytes(double bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / (1 << 20));
    }

    /** Why no copy measured the target, for its basis. */
    String failure(Target target) {
        return readings.getOrDefault(target, Map.of()).values().stream().map(Reading::error).filter(e -> e != null)
                .findFirst().orElse("no copy could be made");
    }

    /**
     * The backfill's estimate from its walks on the copies; empty when none walked a batch.
     *
     * @param productionRows its table's rows in production
     */
    Optional<ProductionEstimate> estimate(BackfillResult backfill, long productionRows) {
        List<Size> sizes = walks.getOrDefault(backfill.name(), Map.of()).values().stream()
                .filter(w -> w.error() == null && w.batches() > 0)
                .map(w -> new Size(w.tableRows(), w.batches(), w.ms())).toList();
        return sizes.isEmpty() ? Optional.empty()
                : Optional.of(EstimateModel.backfill(sizes, productionRows, backfill.batch(), List.of()));
    }

    /** What calibration cost, e.g. {@code the empty twin 0.4 s, the sample 1.2 s, …}, for the log. */
    String cost() {
        List<String> parts = new ArrayList<>();
        spentNanos.forEach((kind, nanos) -> {
            Copy copy = copies.get(kind);
            String grown = kind == Kind.COPY && copy != null ? String.format(Locale.ROOT, " (%,d rows in %s)",
                    copy.targets.values().stream().mapToLong(Long::longValue).sum(), String.join(", ",
                            copy.targets.keySet())) : "";
            parts.add(kind.label + grown + " " + human(nanos / 1_000_000));
        });
        return String.join(", ", parts);
    }

    /**
     * Rows per table for the copy in production's proportions: every table worked through that has production rows
     * grown to the same share of them, as large as the budget allows up to {@link #MOST_OF_PRODUCTION}, never below
     * its rows now; empty when no table would grow {@link #WORTH_GROWING} times.
     */
    private Map<String, Long> growth(Set<String> worked) {
        Map<String, Long> now = new LinkedHashMap<>();
        Map<String, Long> production = new LinkedHashMap<>();
        try (Connection connection = baseline.connect(Purpose.CALIBRATION)) {
            for (String table : worked) {
                Optional<TableRows> size = ProductionEstimates.size(statistics, table);
                TableName name = dialect.tableName(connection, table);
                if (size.isPresent() && dialect.columns(connection, name).isPresent()) {
                    long rows = count(connection, name);
                    if (rows > 0) {
                        now.put(table, rows);
                        production.put(table, size.get().rows());
                    }
                }
            }
        } catch (SQLException e) {
            listener.warn("Calibration without a copy in production's proportions: " + e.getMessage());
            return Map.of();
        }
        double total = production.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return Map.of();
        }
        double share = Math.min(MOST_OF_PRODUCTION, ROW_BUDGET / total);
        Map<String, Long> targets = new LinkedHashMap<>();
        boolean worth = false;
        for (Map.Entry<String, Long> entry : now.entrySet()) {
            long target = Math.max(entry.getValue(), Math.round(share * production.get(entry.getKey())));
            targets.put(entry.getKey(), target);
            worth |= target >= WORTH_GROWING * entry.getValue();
        }
        return worth ? targets : Map.of();
    }

    /** The tables the statements' foreign keys reference, as they name them (unquoted). */
    static Set<String> referenced(List<String> statements) {
        Set<String> referenced = new LinkedHashSet<>();
        for (String sql : statements) {
            Matcher matcher = REFERENCES.matcher(SqlText.withoutLeadingComments(sql));
            while (matcher.find()) {
                referenced.add(matcher.group(1).replaceAll("[`\"\\s]", ""));
            }
        }
        return referenced;
    }

    /**
     * The tables whose rows the copies need, where the engine copies table by table: those worked through and those
     * the migrations' foreign keys will reference, the tables their foreign keys reference, and the migration tool's
     * own.
     */
    private Set<String> rowsNeeded(Set<String> worked) {
        Set<String> needed = new HashSet<>();
        try (Connection connection = baseline.connect(Purpose.CALIBRATION)) {
            List<String> open = new ArrayList<>(worked);
            while (!open.isEmpty()) {
                String table = open.remove(open.size() - 1);
                TableName name = dialect.tableName(connection, table);
                if (needed.add(name.name()) && dialect.columns(connection, name).isPresent()) {
                    dialect.referencedTables(connection, name).forEach(parent -> open.add(parent.name()));
                }
            }
        } catch (SQLException e) {
            listener.warn("Calibration copies every table's rows: the foreign keys could not be read: " + e.getMessage());
            return null;
        }
        return needed;
    }

    /** Migrates the copy up to the target's statement and measures it there; the copy goes if it can't serve again. */
    private Reading reach(Copy copy, Target target) {
        copy.ensure();
        copy.backfillsBefore(target.version());
        Hook hook = new Hook(target, copy.kind == Kind.PADDED);
        String failure = null;
        try {
            source.quietly(() -> {
                source.migrate(copy.database.dataSource(Purpose.CALIBRATION, real -> TracedConnection.wrap(real, hook)),
                        target.version(), hook);
                return null;
            });
        } catch (MigrationSource.Failed e) {
            if (Interruption.interrupted()) {
                throw e;
            }
            failure = e.error();
        }
        boolean committed = target.afterCommitted() || target.statement().committed()
                || hook.reading == null || !hook.reading.transactional();
        if (committed || hook.reading == null || hook.reading.error() != null) {
            copy.discard();
        } else if (failure != null) {
            // Where the migration tool records a stopped migration as failed, it would refuse to go on from there.
            source.quietly(() -> {
                source.repair(copy.database.dataSource(Purpose.CALIBRATION));
                return null;
            });
        }
        if (hook.reading != null) {
            return hook.reading;
        }
        return Reading.failed(failure != null ? "the migration failed on " + copy.kind.label + " before the statement: "
                + failure : "the migration ran fewer statements on " + copy.kind.label);
    }

    /** Runs every statement of the migration until the target's, which it measures (or only plans), then stops it. */
    private final class Hook implements TracedConnection.Hook, MigrationSource.Events {
        private final Target target;
        private final boolean planOnly;
        private Connection session;
        private int ran;
        Reading reading;

        Hook(Target target, boolean planOnly) {
            this.target = target;
            this.planOnly = planOnly;
        }

        @Override
        public void starting(Migration migration, Connection connection) {
            if (target.version().equals(migration.version())) {
                session = connection;
                ran = 0;
            }
        }

        @Override
        public Object execute(Connection connection, Connection real, String sql, Tracer.Execution execution)
                throws Throwable {
            if (reading != null || !Tracer.migrationStatement(connection, session, sql, source)
                    || ++ran < target.statement().index()) {
                return execution.run();
            }
            reading = planOnly ? new Reading(0, null, !real.getAutoCommit(), plan(real, sql), null, null)
                    : run(real, sql, execution);
            throw new SQLException(STOP);
        }

        private Reading run(Connection real, String sql, Tracer.Execution execution) throws Throwable {
            boolean transactional = !real.getAutoCommit();
            boolean undoable = transactional && !target.statement().committed();
            PlanNode planned = target.dml() ? plan(real, sql) : null;
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                Savepoint savepoint = undoable ? real.setSavepoint() : null;
                Work before = measuring.work(real);
                long start = System.nanoTime();
                try {
                    if (i == 0) {
                        execution.run();
                    } else {
                        try (Statement statement = real.createStatement()) {
                            statement.execute(sql);
                        }
                    }
                } catch (Throwable e) {
                    if (i == 0) {
                        reading = Reading.failed(e.getMessage() == null ? e.toString() : e.getMessage().strip());
                        throw e;
                    }
                    // Not to be run again as text (a prepared statement's parameters): the first run stands.
                    real.rollback(savepoint);
                    break;
                }
                long nanos = System.nanoTime() - start;
                Work done = before.until(measuring.work(real));
                runs.add(new Run(nanos / 1e6, done));
                if (savepoint != null) {
                    real.rollback(savepoint);
                }
                if (!undoable || nanos >= REPEAT_BELOW_NANOS) {
                    break;
                }
            }
            Double share = null;
            if (target.dml() && undoable) {
                Savepoint savepoint = real.setSavepoint();
                try {
                    share = measuring.readShare(real, sql);
                } catch (SQLException e) {
                    // No split of its time: it all counts as reading.
                } finally {
                    real.rollback(savepoint);
                }
            }
            Run median = runs.stream().sorted(Comparator.comparingDouble(Run::ms)).toList().get(runs.size() / 2);
            return new Reading(median.ms(), median.work(), transactional, planned, share, null);
        }

        /** The statement's plan, or {@code null} when the engine has none for it; never fails the transaction. */
        private PlanNode plan(Connection real, String sql) throws SQLException {
            Savepoint savepoint = real.getAutoCommit() ? null : real.setSavepoint();
            try {
                return dialect.explain(real, sql, false).plan();
            } catch (SQLException | RuntimeException e) {
                return null;
            } finally {
                if (savepoint != null) {
                    real.rollback(savepoint);
                }
            }
        }
    }

    /** One copy of the baseline, made when first needed and again after a statement left it changed. */
    private final class Copy implements AutoCloseable {
        final Kind kind;
        /** Rows per table to grow to, by the trace's names. */
        final Map<String, Long> targets;
        final Set<String> withRows;
        final Set<String> worked;
        ShadowDatabase database;
        /** The rows of each worked table when the copy was made, as the trace names them. */
        final Map<String, Long> rows = new LinkedHashMap<>();
        final Map<String, Long> bytes = new LinkedHashMap<>();
        final Set<String> backfilled = new HashSet<>();

        Copy(Kind kind, Map<String, Long> targets, Set<String> withRows, Set<String> worked) {
            this.kind = kind;
            this.targets = targets;
            this.withRows = withRows;
            this.worked = worked;
        }

        void ensure() {
            if (database != null) {
                return;
            }
            database = baseline.scratchCopy(table -> source.ownTable(table)
                    || kind != Kind.EMPTY && (withRows == null || withRows.contains(table)));
            backfilled.clear();
            try (Connection connection = database.connect(Purpose.CALIBRATION)) {
                if (kind == Kind.EMPTY) {
                    measuring.emptyTables(connection, dialect.tables(connection).stream()
                            .filter(t -> !source.ownTable(t.name())).toList());
                } else {
                    prepare(connection);
                }
                rows.clear();
                for (TableName table : dialect.tables(connection)) {
                    if (!source.ownTable(table.name())) {
                        rows.put(table.name(), count(connection, table));
                    }
                }
                for (String table : worked) {
                    TableName name = dialect.tableName(connection, table);
                    if (dialect.columns(connection, name).isPresent()) {
                        rows.putIfAbsent(table, count(connection, name));
                        bytes.put(table, measuring.tableBytes(connection, name));
                    }
                }
                if (memory == null) {
                    memory = measuring.memory(connection);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not prepare " + kind.label + ": " + e.getMessage(), e);
            }
        }

        /** Grown, settled and given production's statistics (and padded to production's pages, for the plans). */
        private void prepare(Connection connection) throws SQLException {
            if (!targets.isEmpty()) {
                Map<TableName, Long> grow = new LinkedHashMap<>();
                for (Map.Entry<String, Long> target : targets.entrySet()) {
                    grow.put(dialect.tableName(connection, target.getKey()), target.getValue());
                }
                new ScaleUp(dialect, RehearsalListener.NONE).scale(connection, grow);
            }
            List<TableName> tables = new ArrayList<>();
            for (String table : worked) {
                TableName name = dialect.tableName(connection, table);
                if (dialect.columns(connection, name).isPresent()) {
                    tables.add(name);
                    measuring.settle(connection, name);
                    dialect.analyze(connection, name);
                }
            }
            if (kind == Kind.PADDED) {
                Map<TableName, Long> pages = new LinkedHashMap<>();
                for (TableName table : tables) {
                    statistics(connection, table).map(TableStatistics::pages).ifPresent(p -> pages.put(table, p));
                }
                new StoragePadding(dialect, RehearsalListener.NONE, maxPaddingMb).pad(connection, pages,
                        "production's page counts");
            }
            if (snapshot != null) {
                for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
                    TableName table = dialect.tableName(connection, entry.getKey());
                    if (dialect.columns(connection, table).isPresent()) {
                        dialect.applyStatistics(connection, table, entry.getValue());
                    }
                }
            }
        }

        private Optional<TableStatistics> statistics(Connection connection, TableName table) throws SQLException {
            if (snapshot == null) {
                return Optional.empty();
            }
            for (Map.Entry<String, TableStatistics> entry : snapshot.tables().entrySet()) {
                if (dialect.tableName(connection, entry.getKey()).equals(table)) {
                    return Optional.of(entry.getValue());
                }
            }
            return Optional.empty();
        }

        /**
         * Applies the migrations the backfills follow, each up to and including its version, and runs the backfills
         * after each, for those before {@code version} ({@code null}: all) not run on this copy yet.
         */
        void backfillsBefore(String version) {
            for (String after : order) {
                if (version != null && order.indexOf(after) >= order.indexOf(version)) {
                    return;
                }
                if (!backfills.versions().contains(after) || backfilled.contains(after)) {
                    continue;
                }
                ensure();
                source.migrate(database.dataSource(Purpose.CALIBRATION), after, new MigrationSource.Events() { });
                backfills.run(after, database).forEach((name, walked) -> walks.computeIfAbsent(name,
                        n -> new EnumMap<>(Kind.class)).put(kind, walked));
                backfilled.add(after);
            }
        }

        void discard() {
            close();
        }

        @Override
        public void close() {
            if (database != null) {
                database.close();
                database = null;
            }
        }
    }

    private long count(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table.sql(dialect))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        copies.values().forEach(Copy::close);
    }
}
