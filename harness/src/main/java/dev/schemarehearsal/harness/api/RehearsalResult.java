package dev.schemarehearsal.harness.api;

import java.util.List;

/**
 * Everything one rehearsal measured, as written to {@code report.json}. Immutable.
 *
 * @param verdict  {@code FAIL} when a finding is an error or matches the {@code failOn} policy
 * @param failures the findings that match the {@code failOn} policy and so fail the build
 * @param queries  the workload's queries, planned before and after the pending migrations
 */
public record RehearsalResult(Tool tool, Verdict verdict, Shadow shadow, List<Phase> phases, Data data,
                              List<MigrationResult> migrations, List<Finding> findings, List<Finding> failures,
                              List<QueryResult> queries) {

    public RehearsalResult {
        phases = List.copyOf(phases);
        migrations = List.copyOf(migrations);
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
        queries = List.copyOf(queries);
    }

    public enum Verdict { PASS, FAIL }

    /** The tool that produced the report. */
    public record Tool(String name, String version) { }

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
    public record Data(List<TableLoad> tables, List<TableScale> scaled, Statistics statistics) {
        public Data {
            tables = List.copyOf(tables);
            scaled = List.copyOf(scaled);
        }

        public Data(List<TableLoad> tables) {
            this(tables, List.of(), null);
        }
    }

    /** One table's load. */
    public record TableLoad(String table, String file, long rows, long durationMs) { }

    /** One table grown on the server from its loaded sample. */
    public record TableScale(String table, long rowsBefore, long rows, long durationMs) { }

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
     */
    public record MigrationResult(String version, String description, String script, MigrationStatus status,
                                  long durationMs, String error, List<StatementResult> statements) {
        public MigrationResult {
            statements = List.copyOf(statements);
        }

        /** A migration without statement traces. */
        public MigrationResult(String version, String description, String script, MigrationStatus status,
                               long durationMs, String error) {
            this(version, description, script, status, durationMs, error, List.of());
        }
    }

    /**
     * One statement of a migration, measured on the shadow. Tables are the ones that existed before the migration
     * started; tables it creates can block nobody.
     *
     * @param index                 1-based position within the migration
     * @param line                  the statement's first line in the script, or {@code null} when it can't be told
     *                              (Java migrations, placeholders)
     * @param locks                 table locks the statement took
     * @param rewrites              tables whose storage it rewrote
     * @param scans                 tables it read in full (sequential scans)
     * @param destroyed             the tables and columns it dropped, and the columns it narrowed
     * @param probeStallMs          the longest probe latency among the probes that overlapped it
     * @param estimatedProductionMs its duration estimated at production size, or {@code null} without statistics
     * @param lockTimeoutMs         the session's lock timeout when it started (0: waits forever), or {@code null}
     *                              where the engine's isn't read
     * @param committed             whether its effects were committed when it ended: it ran outside a transaction,
     *                              or committed implicitly (DDL on MySQL/MariaDB), so a later failure can't undo it
     * @param error                 the engine's error when it failed, else {@code null}
     */
    public record StatementResult(int index, Integer line, String sql, long durationMs, List<Lock> locks,
                                  List<String> rewrites, List<String> scans, List<Destroyed> destroyed, long probeStallMs,
                                  Long estimatedProductionMs, Long lockTimeoutMs, boolean committed, String error) {
        public StatementResult {
            locks = List.copyOf(locks);
            rewrites = List.copyOf(rewrites);
            scans = List.copyOf(scans);
            destroyed = List.copyOf(destroyed);
        }
    }

    /**
     * A pre-existing table or column a statement dropped, or a column whose type it narrowed.
     *
     * @param column {@code null} when the whole table was dropped
     * @param from   the column's type before, when narrowed, else {@code null}
     * @param to     the column's type after, when narrowed, else {@code null}
     */
    public record Destroyed(String table, String column, String from, String to) { }

    /**
     * A table lock a statement took.
     *
     * @param mode   the engine's name of the lock mode, e.g. {@code AccessExclusiveLock}
     * @param blocks which plain reads and writes by other sessions it blocks; empty when it blocks neither
     * @param heldMs how long it was held: until the transaction ended, or the statement when it ran outside one
     */
    public record Lock(String table, String mode, List<Access> blocks, long heldMs) {
        public Lock {
            blocks = List.copyOf(blocks);
        }
    }

    /** What other sessions do to a table. */
    public enum Access { READS, WRITES }

    public enum MigrationStatus { APPLIED, FAILED }
}
