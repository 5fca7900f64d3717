package dev.schemarehearsal.harness.api;

import java.util.List;

/**
 * Everything one rehearsal measured, as written to {@code report.json}. Immutable.
 *
 * @param verdict  {@code FAIL} when a finding is an error or matches the {@code failOn} policy
 * @param failures the findings that match the {@code failOn} policy and so fail the build
 */
public record RehearsalResult(Tool tool, Verdict verdict, Shadow shadow, List<Phase> phases, Data data,
                              List<MigrationResult> migrations, List<Finding> findings, List<Finding> failures) {

    public RehearsalResult {
        phases = List.copyOf(phases);
        migrations = List.copyOf(migrations);
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
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
     * @param error the engine's error when it failed, else {@code null}
     */
    public record MigrationResult(String version, String description, String script, MigrationStatus status,
                                  long durationMs, String error) { }

    public enum MigrationStatus { APPLIED, FAILED }
}
