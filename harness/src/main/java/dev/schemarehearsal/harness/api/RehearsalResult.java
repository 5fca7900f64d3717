package dev.schemarehearsal.harness.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Everything one rehearsal measured, as written to {@code report.json}. Immutable.
 *
 * @param verdict  {@code FAIL} when a finding is an error or matches the {@code failOn} policy, or the rehearsal
 *                 stopped
 * @param failures      the findings that fail the build: those matching the {@code failOn} policy, and a failure
 *                      that stopped the rehearsal (a migration up to the baseline failing) whatever the policy
 * @param timeline      the probe workload's latencies while the migrations ran, with the statements marked
 * @param backfills     the backfills, each run right after its migration
 * @param lint          what {@code schema:lint} said before the rehearsal, or {@code null}
 * @param disagreements where lint and the measurement disagree; the measurement wins
 * @param queries       the workload's queries, planned before and after the pending migrations
 * @param stoppedAt     the stage that stopped the rehearsal, e.g. {@code baseline} when a migration up to the
 *                      baseline failed: nothing was rehearsed, and the findings say why; {@code null} when every
 *                      stage ran
 * @param history       the history of runs this one was compared with and appended to, or {@code null} without one
 * @param resolvedFindings the findings of the previous run of the branch that this one no longer has; empty
 *                      without a history
 * @param trends        each migration's, query's and table's figures over the branch's runs, or {@code null}
 *                      without a history
 * @param drift         the queries whose plan in production changed between the previous run's capture of
 *                      production's plans and this one's; empty without a history
 */
public record RehearsalResult(Tool tool, Verdict verdict, Shadow shadow, List<Phase> phases, Data data,
                              List<MigrationResult> migrations, List<Finding> findings, List<Finding> failures,
                              Timeline timeline, List<BackfillResult> backfills, LintResult lint,
                              List<Disagreement> disagreements, List<QueryResult> queries, Fidelity fidelity,
                              String stoppedAt, History history, List<Finding> resolvedFindings, Trends trends,
                              List<Drift> drift) {

    public RehearsalResult {
        phases = List.copyOf(phases);
        migrations = List.copyOf(migrations);
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
        backfills = List.copyOf(backfills);
        disagreements = List.copyOf(disagreements);
        queries = List.copyOf(queries);
        resolvedFindings = List.copyOf(resolvedFindings);
        drift = List.copyOf(drift);
    }

    /** A result without a history. */
    public RehearsalResult(Tool tool, Verdict verdict, Shadow shadow, List<Phase> phases, Data data,
                           List<MigrationResult> migrations, List<Finding> findings, List<Finding> failures,
                           Timeline timeline, List<BackfillResult> backfills, LintResult lint,
                           List<Disagreement> disagreements, List<QueryResult> queries, Fidelity fidelity,
                           String stoppedAt) {
        this(tool, verdict, shadow, phases, data, migrations, findings, failures, timeline, backfills, lint,
                disagreements, queries, fidelity, stoppedAt, null, List.of(), null, List.of());
    }

    /** The result of a rehearsal whose every stage ran. */
    public RehearsalResult(Tool tool, Verdict verdict, Shadow shadow, List<Phase> phases, Data data,
                           List<MigrationResult> migrations, List<Finding> findings, List<Finding> failures,
                           Timeline timeline, List<BackfillResult> backfills, LintResult lint,
                           List<Disagreement> disagreements, List<QueryResult> queries, Fidelity fidelity) {
        this(tool, verdict, shadow, phases, data, migrations, findings, failures, timeline, backfills, lint,
                disagreements, queries, fidelity, null);
    }

    /** The same result with the phases as they ended up, the report's included. */
    public RehearsalResult withPhases(List<Phase> phases) {
        return new RehearsalResult(tool, verdict, shadow, phases, data, migrations, findings, failures, timeline,
                backfills, lint, disagreements, queries, fidelity, stoppedAt, history, resolvedFindings, trends, drift);
    }

    /** The same result compared with the history of runs. */
    public RehearsalResult withHistory(History history, List<Finding> resolvedFindings, Trends trends,
                                       List<Drift> drift) {
        return new RehearsalResult(tool, verdict, shadow, phases, data, migrations, findings, failures, timeline,
                backfills, lint, disagreements, queries, fidelity, stoppedAt, history, resolvedFindings, trends, drift);
    }

    /**
     * The history of runs a rehearsal was compared with and appended to.
     *
     * @param store    where it is kept: a folder, or a database's URL without its credentials
     * @param branch   the git branch this run is recorded under, or {@code null} when none could be told
     * @param commit   the git commit the project was at, or {@code null}
     * @param previous the previous run of the branch, which findings are new or known against, or {@code null} for
     *                 the branch's first
     * @param runs     the runs of the branch the trends are drawn from, this one included
     * @param skipped  one sentence for each record this version could not read (written by a newer one, or
     *                 unreadable): skipped, and left where it is
     * @param summary  what changed, in one line, e.g. {@code orders +4.1 % since last week; V12's lock at production
     *                 size 0.4 s → 1.3 s}; empty when nothing did
     */
    public record History(String store, String branch, String commit, Run previous, int runs, List<String> skipped,
                          String summary) {
        public History {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * One run in the history.
     *
     * @param at      when it ended, UTC, e.g. {@code 2026-01-05T02:14:07.125Z}
     * @param verdict {@code pass} or {@code fail}
     */
    public record Run(String at, String commit, String branch, String verdict) { }

    /**
     * Figures over the runs of a branch, oldest first, for charts.
     *
     * @param migrations per pending migration (by script): the longest it blocks production, at production size
     *                   where there is an estimate, in milliseconds
     * @param queries    per query: the planner's cost after the pending migrations; a point whose plan shape differs
     *                   from the point before is marked
     * @param tables     per table: production's rows, and bytes, from the statistics snapshot
     */
    public record Trends(List<Trend> migrations, List<Trend> queries, List<Trend> tables) {
        public Trends {
            migrations = List.copyOf(migrations);
            queries = List.copyOf(queries);
            tables = List.copyOf(tables);
        }
    }

    /** One thing's figure over the runs. */
    public record Trend(String name, List<Point> points) {
        public Trend {
            points = List.copyOf(points);
        }
    }

    /**
     * One run's figure.
     *
     * @param at          when the run ended
     * @param value       the figure
     * @param bytes       a table's bytes, else {@code null}
     * @param planChanged for a query: its plan's shape differs from the point before's
     */
    public record Point(String at, double value, Long bytes, boolean planChanged) { }

    /**
     * A query whose plan in production changed between two captures of production's plans ({@code plans.json}):
     * the data or the statistics moved, whether or not a migration is pending.
     *
     * @param from     the earlier capture's time ({@code collectedAt}), or {@code null} when it has none
     * @param to       the later capture's time, or {@code null}
     * @param costFrom the earlier plan's cost, or {@code null}
     * @param costTo   the later plan's cost, or {@code null}
     * @param changes  what changed, one sentence each
     */
    public record Drift(String query, String from, String to, Double costFrom, Double costTo, List<String> changes) {
        public Drift {
            changes = List.copyOf(changes);
        }
    }

    public enum Verdict { PASS, FAIL }

    /**
     * How many queries the shadow planned before the migrations as production did (production's plans file; the same
     * plan shape: node types, relations, indexes, join order and parallel nodes, costs and rows aside).
     *
     * @param compared       the queries production has a plan of
     * @param asInProduction those whose plan before matched it
     * @param different      the others, by name: their plan verdicts are uncertain
     * @param summary        e.g. "17 of 20 queries plan as in production"
     */
    public record Fidelity(int compared, int asInProduction, List<String> different, String summary) {
        public Fidelity {
            different = List.copyOf(different);
        }

        /** The score of the queries' results, or {@code null} when none was compared with production. */
        public static Fidelity of(List<QueryResult> queries) {
            List<QueryResult> compared = queries.stream().filter(q -> q.asInProduction() != null).toList();
            if (compared.isEmpty()) {
                return null;
            }
            int same = (int) compared.stream().filter(QueryResult::asInProduction).count();
            return new Fidelity(compared.size(), same, compared.stream().filter(q -> !q.asInProduction())
                    .map(QueryResult::name).toList(), same + " of " + compared.size() + " quer"
                    + (compared.size() == 1 ? "y plans" : "ies plan") + " as in production");
        }
    }

    /** The tool that produced the report. */
    public record Tool(String name, String version) {
        /** This harness, its version from the build. */
        public static Tool harness() {
            try (InputStream in = Tool.class.getResourceAsStream("/dev/schemarehearsal/harness/version.properties")) {
                Properties properties = new Properties();
                properties.load(in);
                return new Tool("schema-rehearsal", properties.getProperty("version"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The shadow database the rehearsal ran on, and why that kind was chosen. */
    public record Shadow(ShadowKind kind, Engine engine, String version, String reason) { }

    /** One stage of the pipeline and how long it took. */
    public record Phase(String name, long durationMs) { }

    /**
     * The sample data loaded before the plans and migrations.
     *
     * @param scaled     the tables grown by {@code scale}, in the order they grew
     * @param statistics production's statistics, or {@code null} when there is no snapshot
     */
    public record Data(List<TableLoad> tables, List<TableScale> scaled, Statistics statistics,
                       List<TablePadding> padded) {
        public Data {
            tables = List.copyOf(tables);
            scaled = List.copyOf(scaled);
            padded = List.copyOf(padded);
        }

        public Data(List<TableLoad> tables) {
            this(tables, List.of(), null, List.of());
        }
    }

    /** One table's load. */
    public record TableLoad(String table, String file, long rows, long durationMs) { }

    /** One table grown on the server from its loaded sample. */
    public record TableScale(String table, long rowsBefore, long rows, long durationMs) { }

    /**
     * One table whose storage was padded with empty pages towards production's page count, so that the planner
     * costs its pages as production's (see the README's "Plan fidelity"). The rows stay the sample's.
     *
     * @param pages           the table's pages as loaded
     * @param paddedPages     its pages once padded
     * @param productionPages its pages in production, from the statistics snapshot
     */
    public record TablePadding(String table, long pages, long paddedPages, long productionPages) { }

    /**
     * Production's statistics snapshot as applied to the shadow. The row counts are what production-size estimates
     * scale by, whether or not the engine could take them.
     *
     * @param file       the snapshot file
     * @param notApplied what the shadow's engine could not take, one sentence each
     */
    public record Statistics(String file, List<TableRows> tables, List<String> notApplied) {
        public Statistics {
            tables = List.copyOf(tables);
            notApplied = List.copyOf(notApplied);
        }
    }

    /**
     * One table's size in production and on the shadow.
     *
     * @param rows       production's row count
     * @param shadowRows rows on the shadow after loading and scaling, or {@code -1} when the shadow has no such table
     */
    public record TableRows(String table, long rows, long shadowRows) { }

    /**
     * One pending migration as applied on the shadow.
     *
     * @param error      the engine's error when it failed, else {@code null}
     * @param statements what each of its statements did, in the order they ran
     * @param leftBehind when it failed, how the schema it left differs from the schema before it: {@code + } before
     *                   each object it added or changed into, {@code - } before each it removed or changed; empty
     *                   when the failure left the schema as it was
     * @param windows    each table lock from the statement that took it to the end of its transaction, in the order
     *                   they began
     * @param sizeChange the storage it added to or freed from each table and index, where noticeable
     */
    public record MigrationResult(String version, String description, String script, MigrationStatus status,
                                  long durationMs, String error, List<StatementResult> statements,
                                  List<String> leftBehind, List<Window> windows, List<SizeChange> sizeChange) {
        public MigrationResult {
            statements = List.copyOf(statements);
            leftBehind = List.copyOf(leftBehind);
            windows = List.copyOf(windows);
            sizeChange = List.copyOf(sizeChange);
        }

        /** A migration whose storage growth wasn't measured. */
        public MigrationResult(String version, String description, String script, MigrationStatus status,
                               long durationMs, String error, List<StatementResult> statements,
                               List<String> leftBehind, List<Window> windows) {
            this(version, description, script, status, durationMs, error, statements, leftBehind, windows, List.of());
        }

        /** A migration without lock windows. */
        public MigrationResult(String version, String description, String script, MigrationStatus status,
                               long durationMs, String error, List<StatementResult> statements,
                               List<String> leftBehind) {
            this(version, description, script, status, durationMs, error, statements, leftBehind, List.of());
        }

        /** A migration whose failure left nothing behind, or that didn't fail. */
        public MigrationResult(String version, String description, String script, MigrationStatus status,
                               long durationMs, String error, List<StatementResult> statements) {
            this(version, description, script, status, durationMs, error, statements, List.of());
        }

        /** A migration without statement traces. */
        public MigrationResult(String version, String description, String script, MigrationStatus status,
                               long durationMs, String error) {
            this(version, description, script, status, durationMs, error, List.of());
        }

        /** The same migration with its statements as given, its windows kept. */
        public MigrationResult withStatements(List<StatementResult> statements) {
            return new MigrationResult(version, description, script, status, durationMs, error, statements, leftBehind,
                    windows, sizeChange);
        }

        /** The same migration with its statements and storage changes replaced by their estimated ones. */
        public MigrationResult withEstimates(List<StatementResult> statements, List<SizeChange> sizeChange) {
            return new MigrationResult(version, description, script, status, durationMs, error, statements, leftBehind,
                    windows, sizeChange);
        }

        /** The same migration with its windows as given. */
        public MigrationResult withWindows(List<Window> windows) {
            return new MigrationResult(version, description, script, status, durationMs, error, statements, leftBehind,
                    windows, sizeChange);
        }
    }

    /**
     * The strongest lock a migration held on one table, from the statement that took it to the end of its
     * transaction (the migration's, or the statement's own when it ran outside one or committed implicitly), and
     * what blocked production meanwhile.
     *
     * @param mode                  the strongest mode held on the table in that time, in the engine's words
     * @param blocks                which plain reads and writes of other sessions it blocks; empty for neither
     * @param fromStatement         the statement that took it: the first to take a lock on the table that blocks
     *                              anything, else the first to take one
     * @param toStatement           the last statement that ran under it
     * @param heldMs                from the start of {@code fromStatement} to the end of its transaction
     * @param estimatedProductionMs the same at production size: the production estimates of the statements under
     *                              it, plus the time between and after them, which does not grow with the data;
     *                              {@code null} when one of them has no estimate
     * @param estimatedProductionRange the lowest and highest the statements' ranges allow, the same way
     * @param estimateBasis         the bases of the statements' estimates, one after the other
     * @param probeStallMs          the longest probe that waited for this lock, or 0
     */
    public record Window(String table, String mode, List<Access> blocks, int fromStatement, int toStatement,
                         long heldMs, Long estimatedProductionMs, Range estimatedProductionRange,
                         String estimateBasis, long probeStallMs) {
        public Window {
            blocks = List.copyOf(blocks);
        }

        /** Whether the statement ran under this lock. */
        public boolean covers(int statement) {
            return statement >= fromStatement && statement <= toStatement;
        }

        /** The same window with the probes' longest wait for it. */
        public Window withStall(long stallMs) {
            return new Window(table, mode, blocks, fromStatement, toStatement, heldMs, estimatedProductionMs,
                    estimatedProductionRange, estimateBasis, stallMs);
        }

        /** Its production-size estimate, or {@code null} when it has none. */
        public ProductionEstimate estimate() {
            return estimatedProductionMs == null ? null
                    : new ProductionEstimate(estimatedProductionMs, estimatedProductionRange, estimateBasis);
        }

        /** The same window with its production estimate; {@code null} for none. */
        public Window withEstimate(ProductionEstimate estimate) {
            return new Window(table, mode, blocks, fromStatement, toStatement, heldMs,
                    estimate == null ? null : estimate.ms(), estimate == null ? null : estimate.range(),
                    estimate == null ? null : estimate.basis(), probeStallMs);
        }
    }

    /**
     * The storage of a table, or of one of its indexes, before and after a migration, where it changed. A rewrite needs
     * its new copy's bytes free on disk while the old one is still there.
     *
     * @param index                          the index's name, or {@code null} for the table's whole storage (its
     *                                       rows, TOAST and indexes)
     * @param bytesBefore                    before the migration, 0 when it didn't exist
     * @param bytesAfter                     after it, 0 when it was dropped
     * @param estimatedProductionBytesBefore at production size (by the statistics' row counts; on a clone the bytes
     *                                       measured), or {@code null} without the table's row count
     * @param estimatedProductionBytesAfter  likewise after
     */
    public record SizeChange(String table, String index, long bytesBefore, long bytesAfter,
                             Long estimatedProductionBytesBefore, Long estimatedProductionBytesAfter) {
        public SizeChange(String table, String index, long bytesBefore, long bytesAfter) {
            this(table, index, bytesBefore, bytesAfter, null, null);
        }

        /** The same change with production's sizes: the measured ones times {@code factor}. */
        public SizeChange atProduction(double factor) {
            return new SizeChange(table, index, bytesBefore, bytesAfter, Math.round(bytesBefore * factor),
                    Math.round(bytesAfter * factor));
        }
    }

    /**
     * One statement of a migration, measured on the shadow. Tables are the ones that existed before the migration
     * started; tables it creates can block nobody.
     *
     * @param index                 1-based position within the migration
     * @param line                  the statement's first line in the script, or {@code null} when it can't be told
     *                              (Java migrations, placeholders)
     * @param locks                 table locks held while it ran: those it took, and those earlier statements of
     *                              its transaction took and still held ({@link Lock#acquiredBy})
     * @param rewrites              tables whose storage it rewrote
     * @param scans                 tables it read in full (sequential scans)
     * @param destroyed             the tables and columns it dropped, and the columns it narrowed
     * @param renamed               the tables and columns it renamed: the same table (oid, InnoDB table id) or
     *                              column (attnum, position) under a new name
     * @param stale                 the results of a function it redefined that the database keeps (index entries,
     *                              generated values, checks) and the migration left computed by the older body
     * @param probeStallMs          the longest wait of a probe, while it ran, for a lock it held
     * @param estimatedProductionMs its duration estimated at production size, or {@code null} without statistics
     * @param lockTimeoutMs         the session's lock timeout when it started (0: waits forever), or {@code null}
     *                              where the engine's isn't read
     * @param committed             whether its effects were committed when it ended: it ran outside a transaction,
     *                              or committed implicitly (DDL on MySQL/MariaDB), so a later failure can't undo it
     * @param error                 the engine's error when it failed, else {@code null}
     * @param algorithm             on MySQL/MariaDB, the ALTER algorithm and lock the server chose for it, e.g.
     *                              {@code INPLACE, LOCK=NONE}, learned by trying the statement on an empty copy of
     *                              its table; else {@code null}
     * @param estimatedProductionRange the lowest and highest durations at production size the measurements allow,
     *                              or {@code null} without an estimate
     * @param estimateBasis         what the estimate rests on, one line (e.g. {@code fit on 3 sizes: 12 ms + 4.1 µs/row}),
     *                              or why there is none (on a clone: {@code measured on a full-size clone}); {@code null} without a
     *                              statistics snapshot
     */
    public record StatementResult(int index, Integer line, String sql, long durationMs, List<Lock> locks,
                                  List<String> rewrites, List<String> scans, List<Destroyed> destroyed, long probeStallMs,
                                  Long estimatedProductionMs, Long lockTimeoutMs, boolean committed, String error,
                                  String algorithm, List<Renamed> renamed, List<Stale> stale,
                                  Range estimatedProductionRange, String estimateBasis) {
        public StatementResult {
            locks = List.copyOf(locks);
            rewrites = List.copyOf(rewrites);
            scans = List.copyOf(scans);
            destroyed = List.copyOf(destroyed);
            renamed = List.copyOf(renamed);
            stale = List.copyOf(stale);
        }

        /** A statement not estimated at production size yet. */
        public StatementResult(int index, Integer line, String sql, long durationMs, List<Lock> locks,
                               List<String> rewrites, List<String> scans, List<Destroyed> destroyed, long probeStallMs,
                               Long estimatedProductionMs, Long lockTimeoutMs, boolean committed, String error,
                               String algorithm, List<Renamed> renamed, List<Stale> stale) {
            this(index, line, sql, durationMs, locks, rewrites, scans, destroyed, probeStallMs, estimatedProductionMs,
                    lockTimeoutMs, committed, error, algorithm, renamed, stale, null, null);
        }

        /** A statement that renamed nothing and left no function results stale. */
        public StatementResult(int index, Integer line, String sql, long durationMs, List<Lock> locks,
                               List<String> rewrites, List<String> scans, List<Destroyed> destroyed, long probeStallMs,
                               Long estimatedProductionMs, Long lockTimeoutMs, boolean committed, String error,
                               String algorithm) {
            this(index, line, sql, durationMs, locks, rewrites, scans, destroyed, probeStallMs, estimatedProductionMs,
                    lockTimeoutMs, committed, error, algorithm, List.of(), List.of());
        }

        /** The same statement with its production estimate replaced. */
        public StatementResult withEstimate(Long productionMs, Range range, String basis) {
            return new StatementResult(index, line, sql, durationMs, locks, rewrites, scans, destroyed, probeStallMs,
                    productionMs, lockTimeoutMs, committed, error, algorithm, renamed, stale, range, basis);
        }

        /** A statement whose ALTER algorithm wasn't learned. */
        public StatementResult(int index, Integer line, String sql, long durationMs, List<Lock> locks,
                               List<String> rewrites, List<String> scans, List<Destroyed> destroyed, long probeStallMs,
                               Long estimatedProductionMs, Long lockTimeoutMs, boolean committed, String error) {
            this(index, line, sql, durationMs, locks, rewrites, scans, destroyed, probeStallMs, estimatedProductionMs,
                    lockTimeoutMs, committed, error, null);
        }

        /** The same statement with the probes' longest wait for a lock it held. */
        public StatementResult withStall(long stallMs) {
            return new StatementResult(index, line, sql, durationMs, locks, rewrites, scans, destroyed, stallMs,
                    estimatedProductionMs, lockTimeoutMs, committed, error, algorithm, renamed, stale,
                    estimatedProductionRange, estimateBasis);
        }

        /** The same statement with its production-size estimate; {@code estimate} {@code null} for none. */
        public StatementResult withEstimate(ProductionEstimate estimate, String basis) {
            return new StatementResult(index, line, sql, durationMs, locks, rewrites, scans, destroyed, probeStallMs,
                    estimate == null ? null : estimate.ms(), lockTimeoutMs, committed, error, algorithm, renamed, stale,
                    estimate == null ? null : estimate.range(), estimate == null ? basis : estimate.basis());
        }

        /** Its production-size estimate, or {@code null} when it has none; a range of the estimate alone where it has none. */
        public ProductionEstimate estimate() {
            return estimatedProductionMs == null ? null : new ProductionEstimate(estimatedProductionMs,
                    estimatedProductionRange != null ? estimatedProductionRange
                            : new Range(estimatedProductionMs, estimatedProductionMs), estimateBasis);
        }
    }

    /** The low and high ends of an estimate's likely range, in the estimate's unit (milliseconds for durations). */
    public record Range(long low, long high) {
        /** The range of two durations one after the other. */
        public Range plus(Range other) {
            return new Range(low + other.low, high + other.high);
        }
    }

    /**
     * A duration at production size, with its range and what it rests on.
     *
     * @param ms    the estimate, in milliseconds
     * @param range the lowest and highest the measurements allow; contains {@code ms}
     * @param basis one line, e.g. {@code fit on 3 sizes: 12 ms + 4.1 µs/row}
     */
    public record ProductionEstimate(long ms, Range range, String basis) {
        /**
         * Several estimates one after the other (statements under one lock): their sum, the sum of their ranges, and
         * their bases joined.
         */
        public static ProductionEstimate sum(List<ProductionEstimate> estimates) {
            long ms = 0;
            Range range = new Range(0, 0);
            List<String> bases = new ArrayList<>();
            for (ProductionEstimate estimate : estimates) {
                ms += estimate.ms();
                range = range.plus(estimate.range());
                bases.add(estimate.basis());
            }
            return new ProductionEstimate(ms, range, String.join("; ", bases));
        }
    }

    /**
     * Results of a function the database keeps that are still those of its older body: the statement redefined the
     * function, and the migration did not compute them again.
     *
     * @param function the function, e.g. {@code IMMUTABLE function normalize_email(text)}
     * @param kind     {@code index}, {@code generated column} or {@code check}
     * @param name     the index, the column or the constraint
     * @param rows     the generated column's rows whose value the function computes otherwise now, or the rows that
     *                 fail the check now; {@code null} for an index, whose entries can't be read
     * @param rebuild  the statements that compute them again
     */
    public record Stale(String function, String kind, String table, String name, Long rows, String rebuild) { }

    /**
     * A pre-existing table or column a statement renamed: code still using the old name fails once it commits.
     *
     * @param column {@code null} when the table itself was renamed
     * @param to     the new name of the table, or of the column
     */
    public record Renamed(String table, String column, String to) { }

    /**
     * A pre-existing table or column a statement dropped, or a column whose type it narrowed.
     *
     * @param column {@code null} when the whole table was dropped
     * @param from   the column's type before, when narrowed, else {@code null}
     * @param to     the column's type after, when narrowed, else {@code null}
     */
    public record Destroyed(String table, String column, String from, String to) { }

    /**
     * A table lock held while a statement ran: one it took, or one an earlier statement of the same transaction
     * took and still held.
     *
     * @param mode       the engine's name of the lock mode, e.g. {@code AccessExclusiveLock}
     * @param blocks     which plain reads and writes by other sessions it blocks; empty when it blocks neither
     * @param heldMs     how long it was held: from the start of the statement that took it until its transaction
     *                   ended, or that statement's end when it ran outside one
     * @param acquiredBy the index of the statement that took it, or {@code null} when not known
     */
    public record Lock(String table, String mode, List<Access> blocks, long heldMs, Integer acquiredBy) {
        public Lock {
            blocks = List.copyOf(blocks);
        }

        /** A lock whose taker isn't known. */
        public Lock(String table, String mode, List<Access> blocks, long heldMs) {
            this(table, mode, blocks, heldMs, null);
        }

        /** Whether the statement of this index took it, rather than an earlier one of its transaction. */
        public boolean takenBy(int statement) {
            return acquiredBy == null || acquiredBy == statement;
        }
    }

    /** What other sessions do to a table. */
    public enum Access { READS, WRITES }

    public enum MigrationStatus { APPLIED, FAILED }

    /**
     * The probe workload's latencies while the pending migrations ran, downsampled for a chart, and when each traced
     * statement ran. Times are milliseconds from the start of the workload.
     *
     * @param probes     the slowest probe of each kind per time slot, so every stall stays visible
     * @param statements when each traced statement ran, in order
     * @param probesRun  how many probes ran before downsampling
     */
    public record Timeline(List<ProbeSample> probes, List<StatementSpan> statements, int probesRun) {
        public static final Timeline EMPTY = new Timeline(List.of(), List.of(), 0);

        public Timeline {
            probes = List.copyOf(probes);
            statements = List.copyOf(statements);
        }
    }

    /** One probe: when it started and how long it took. */
    public record ProbeSample(long offsetMs, long latencyMs, ProbeKind kind) { }

    /** A probe reads one row, or rewrites one row to itself. */
    public enum ProbeKind { READ, WRITE }

    /**
     * When a statement ran.
     *
     * @param migration the migration's version, {@code null} for a repeatable migration
     * @param statement the statement's 1-based index within its migration
     */
    public record StatementSpan(String migration, String script, int statement, long startMs, long endMs) { }

    /**
     * One backfill as run on the shadow right after its migration.
     *
     * @param source                where it is defined: its file and line, or its name for one written in code
     * @param batch                 rows of the key per batch
     * @param batches               how many batches ran
     * @param rows                  rows the batches changed
     * @param durationMs            from the first batch's start to the last one's end
     * @param rowsPerSecond         rows changed per second
     * @param probeStallMs          the longest probe latency while it ran
     * @param rowsRemaining         rows of the key left unwalked when it stopped: 0 unless a batch failed
     * @param verified              whether its verify query held, or {@code null} when it has none
     * @param productionRows        the table's rows in production, from the statistics, or {@code null}
     * @param estimatedProductionMs its duration at production size, or {@code null} without the table's row count
     * @param rerunRows             the rows a second run changed (0 for an idempotent backfill), or {@code null}
     *                              when it didn't complete
     * @param advice                the batch sizes tried with {@code adviseBatch}, else {@code null}
     * @param error                 the engine's error when a batch failed, else {@code null}
     * @param perBatch              each batch, in order
     * @param estimatedProductionRange the lowest and highest durations at production size the measurements allow,
     *                              or {@code null} without an estimate
     * @param estimateBasis         what the estimate rests on, one line, or why there is none
     * @param sampled               how its batches were sampled within a time box at full size, or {@code null}
     *                              when every batch ran
     */
    public record BackfillResult(String name, String after, String table, String source, int batch, int batches,
                                 long rows, long durationMs, double rowsPerSecond, BatchMs batchMs, long probeStallMs,
                                 long rowsRemaining, Boolean verified, Long productionRows, Long estimatedProductionMs,
                                 Long rerunRows, BatchAdvice advice, String error, List<Batch> perBatch,
                                 Range estimatedProductionRange, String estimateBasis, BackfillSample sampled) {
        public BackfillResult {
            perBatch = List.copyOf(perBatch);
        }

        /** A backfill not estimated at production size yet. */
        public BackfillResult(String name, String after, String table, String source, int batch, int batches,
                              long rows, long durationMs, double rowsPerSecond, BatchMs batchMs, long probeStallMs,
                              long rowsRemaining, Boolean verified, Long productionRows, Long rerunRows,
                              BatchAdvice advice, String error, List<Batch> perBatch) {
            this(name, after, table, source, batch, batches, rows, durationMs, rowsPerSecond, batchMs, probeStallMs,
                    rowsRemaining, verified, productionRows, null, rerunRows, advice, error, perBatch, null, null, null);
        }

        /** The same backfill with its production-size estimate; {@code estimate} {@code null} for none. */
        public BackfillResult withEstimate(ProductionEstimate estimate, String basis) {
            return new BackfillResult(name, after, table, source, batch, batches, rows, durationMs, rowsPerSecond,
                    batchMs, probeStallMs, rowsRemaining, verified, productionRows,
                    estimate == null ? null : estimate.ms(), rerunRows, advice, error, perBatch,
                    estimate == null ? null : estimate.range(), estimate == null ? basis : estimate.basis(), sampled);
        }

        /** Its production-size estimate, or {@code null} when it has none; a range of the estimate alone where it has none. */
        public ProductionEstimate estimate() {
            return estimatedProductionMs == null ? null : new ProductionEstimate(estimatedProductionMs,
                    estimatedProductionRange != null ? estimatedProductionRange
                            : new Range(estimatedProductionMs, estimatedProductionMs), estimateBasis);
        }

        /** A backfill whose every batch ran, its estimate without a range or basis stated. */
        public BackfillResult(String name, String after, String table, String source, int batch, int batches,
                              long rows, long durationMs, double rowsPerSecond, BatchMs batchMs, long probeStallMs,
                              long rowsRemaining, Boolean verified, Long productionRows, Long estimatedProductionMs,
                              Long rerunRows, BatchAdvice advice, String error, List<Batch> perBatch) {
            this(name, after, table, source, batch, batches, rows, durationMs, rowsPerSecond, batchMs, probeStallMs,
                    rowsRemaining, verified, productionRows, estimatedProductionMs, rerunRows, advice, error, perBatch,
                    null, null, null);
        }
    }

    /**
     * A backfill sampled at full size: its batches spread across the key's range (the lowest, the highest, then the
     * gaps halved) until the time box ended, the whole extrapolated from them.
     *
     * @param timeBoxSeconds {@code backfillSampleSeconds}
     * @param keysInRange    the key's values in the whole table: those done plus the estimate of those left, from how
     *                       densely the sampled stretches held them
     * @param everyKey       whether the time box sufficed to do every key: then nothing is extrapolated
     */
    public record BackfillSample(long timeBoxSeconds, long keysInRange, boolean everyKey) { }

    /** Batch latency percentiles, in milliseconds. */
    public record BatchMs(long p50, long p95, long max) { }

    /**
     * One batch of a backfill: the keys above {@code from} up to {@code to}, in one transaction.
     *
     * @param rows         rows it changed
     * @param probeStallMs the longest latency of a probe that overlapped it
     */
    public record Batch(int index, long from, long to, long rows, long durationMs, long probeStallMs) { }

    /**
     * The batch sizes tried on the sample (each batch rolled back) and the one recommended.
     *
     * @param recommended the largest size whose probe-stall p95 stayed under {@code maxStallMs}, or {@code null}
     *                    when none did
     */
    public record BatchAdvice(Integer recommended, List<BatchTrial> trials) {
        public BatchAdvice {
            trials = List.copyOf(trials);
        }
    }

    /** One batch size tried: its throughput and the probe stalls its batches caused. */
    public record BatchTrial(int batch, int batches, long rows, double rowsPerSecond, BatchMs batchMs,
                             long stallP95Ms, long stallMaxMs) { }
}
