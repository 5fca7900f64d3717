package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;

import java.util.List;

/**
 * A stage found that the rehearsal cannot go on, for a reason the report tells: a migration up to the baseline failed,
 * so production's schema could not be built. The stages after it don't run; the report shows what ran and the
 * findings, which fail the build whatever {@code failOn} says, as nothing was rehearsed.
 */
public final class Stopped extends RuntimeException {
    private final String stage;
    private final transient List<MigrationResult> migrations;
    private final transient List<Finding> findings;

    /**
     * @param stage      the stage that stopped it, by its phase's name
     * @param migrations the migrations that ran, as the report shows them
     * @param findings   why it stopped
     */
    Stopped(String stage, List<MigrationResult> migrations, List<Finding> findings) {
        super(stage + ": " + findings.get(0).message());
        this.stage = stage;
        this.migrations = List.copyOf(migrations);
        this.findings = List.copyOf(findings);
    }

    String stage() {
        return stage;
    }

    List<MigrationResult> migrations() {
        return migrations;
    }

    List<Finding> findings() {
        return findings;
    }
}
