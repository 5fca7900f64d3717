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

    /** The sample data loaded before the plans and migrations. */
    public record Data(List<TableLoad> tables) {
        public Data {
            tables = List.copyOf(tables);
        }
    }

    /** One table's load. */
    public record TableLoad(String table, String file, long rows, long durationMs) { }

    /**
     * One pending migration as applied on the shadow.
     *
     * @param error the engine's error when it failed, else {@code null}
     */
    public record MigrationResult(String version, String description, String script, MigrationStatus status,
                                  long durationMs, String error) { }

    public enum MigrationStatus { APPLIED, FAILED }
}
