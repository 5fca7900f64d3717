package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.PlanNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rehearsal as the history keeps it: a JSON document of its own shape, independent of {@code report.json}'s, so
 * that the report may change without old runs becoming unreadable. {@link #format} versions the shape: a tool reads
 * every format up to its own ({@link #FORMAT}) and skips, and leaves in place, the records of a newer one. Fields are
 * only ever added within a format; a tool ignores fields it doesn't know.
 *
 * @param at              when the run ended, UTC, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, so that text order is time order
 * @param commit          the git commit the project was at, or {@code null} outside a git repository
 * @param branch          the git branch (or the CI system's), or {@code null} when none can be told
 * @param verdict         {@code pass} or {@code fail}
 * @param productionPlans production's plans of the queries as captured then ({@code plans.json}), or {@code null}
 */
public record RunRecord(int format, String at, String commit, String branch, Shadow shadow, String verdict,
                        List<MigrationRun> migrations, List<QueryRun> queries, List<TableSize> tables,
                        Capture productionPlans, List<FindingRun> findings) {
    /** The record format this version writes, and the newest it reads. */
    public static final int FORMAT = 1;

    public RunRecord {
        migrations = migrations == null ? List.of() : List.copyOf(migrations);
        queries = queries == null ? List.of() : List.copyOf(queries);
        tables = tables == null ? List.of() : List.copyOf(tables);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** The shadow the run was rehearsed on. */
    public record Shadow(String kind, String engine, String version) { }

    /**
     * One pending migration: its durations measured and at production size, and how long it blocked production.
     *
     * @param productionMs        the sum of its statements' production estimates, or {@code null} when one has none
     * @param blockedMs           the longest lock window of it that blocked reads or writes on the shadow, 0 for none
     * @param productionBlockedMs the same at production size, or {@code null} when such a window has no estimate
     */
    public record MigrationRun(String version, String script, String status, long durationMs, Long productionMs,
                               long blockedMs, Long productionBlockedMs, List<StatementRun> statements,
                               List<WindowRun> windows) {
        public MigrationRun {
            statements = statements == null ? List.of() : List.copyOf(statements);
            windows = windows == null ? List.of() : List.copyOf(windows);
        }
    }

    /** One statement of a migration, its duration on the shadow and at production size. */
    public record StatementRun(int index, long durationMs, Long productionMs) { }

    /**
     * A table lock from the statement that took it to the end of its transaction, on the shadow and at production
     * size, as {@code report.json}'s {@code windows[]}.
     *
     * @param blocks {@code reads}, {@code writes}, both or neither
     */
    public record WindowRun(String table, String mode, List<String> blocks, int fromStatement, int toStatement,
                            long heldMs, Long productionMs) {
        public WindowRun {
            blocks = blocks == null ? List.of() : List.copyOf(blocks);
        }
    }

    /**
     * One query of the workload: its plan before and after the pending migrations.
     *
     * @param change how its plan changed, as in {@code report.json}
     */
    public record QueryRun(String name, Plan before, Plan after, String change) { }

    /**
     * A plan, as much of it as a trend needs.
     *
     * @param cost  the planner's cost, or {@code null} where the engine gives none
     * @param shape the hash of the plan's shape (node types, tables, indexes, join types), see {@link Hashes}
     */
    public record Plan(Double cost, String shape) { }

    /** One table's size in production, from the statistics snapshot. */
    public record TableSize(String table, Long rows, Long bytes) { }

    /**
     * Production's plans as one {@code plans.json} capture held them.
     *
     * @param collectedAt the capture's {@code collectedAt}, or {@code null} when it has none
     * @param queries     each query's plan tree by its name
     */
    public record Capture(String collectedAt, Map<String, PlanNode> queries) {
        public Capture {
            queries = queries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(queries));
        }
    }

    /**
     * A finding, with the fingerprint that tells it again in a later run.
     *
     * @param severity {@code error}, {@code warning} or {@code info}
     */
    public record FindingRun(String fingerprint, String rule, String severity, String migration, Integer statement,
                             String table, String query, String message) { }
}
