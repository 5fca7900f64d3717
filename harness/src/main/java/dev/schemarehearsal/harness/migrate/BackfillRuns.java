package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.shadow.ShadowDatabase;

import java.util.List;
import java.util.Map;

/**
 * The backfills as they run on a copy of the shadow while statements are calibrated there: a later migration may need
 * what a backfill did (a column filled before it is made NOT NULL), and each walk measures the backfill's batches at
 * that copy's size.
 */
public interface BackfillRuns {
    BackfillRuns NONE = new BackfillRuns() {
        @Override
        public List<String> versions() {
            return List.of();
        }

        @Override
        public List<String> tables() {
            return List.of();
        }

        @Override
        public Map<String, Walked> run(String version, ShadowDatabase database) {
            return Map.of();
        }
    };

    /** The versions of the migrations backfills follow. */
    List<String> versions();

    /** The tables they walk. */
    List<String> tables();

    /**
     * Runs the backfills that follow the migration, batch by batch and committed, on the database.
     *
     * @return each backfill's walk, by its name
     */
    Map<String, Walked> run(String version, ShadowDatabase database);

    /**
     * One backfill's walk.
     *
     * @param tableRows the rows of its table when it started
     * @param batches   the batches it ran
     * @param ms        how long they took together
     * @param error     the engine's error when a batch failed, else {@code null}
     */
    record Walked(long tableRows, int batches, double ms, String error) { }
}
