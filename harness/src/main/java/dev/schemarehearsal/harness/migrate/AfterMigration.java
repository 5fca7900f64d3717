package dev.schemarehearsal.harness.migrate;

import java.util.List;

/**
 * Work that runs between pending migrations (backfills): once a migration it names has been applied and committed,
 * while the probe workload keeps running.
 */
public interface AfterMigration {
    AfterMigration NONE = new AfterMigration() {
        @Override
        public List<String> versions() {
            return List.of();
        }

        @Override
        public List<String> tables() {
            return List.of();
        }

        @Override
        public void run(String version, Probes probes) {
        }
    };

    /** The versions after which to run. */
    List<String> versions();

    /** Tables to probe besides the ones the migrations name. */
    List<String> tables();

    /** Runs after the migration of this version; {@code probes} is the running workload. */
    void run(String version, Probes probes);
}
