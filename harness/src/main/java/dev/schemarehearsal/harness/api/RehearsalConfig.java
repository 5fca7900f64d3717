package dev.schemarehearsal.harness.api;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * What to rehearse and where. Built and validated by {@code Rehearsal.configure()}; relative paths have been
 * resolved against {@link #projectDirectory()}.
 *
 * @param locations       Flyway locations, e.g. {@code filesystem:/abs/src/main/resources/db/migration}
 * @param baseline        the version production is at; migrations above it are pending (a {@code git:} baseline
 *                        is resolved to the highest version present at the ref)
 * @param serverUrl       the JDBC URL of an existing server for {@code shadow=server}, else {@code null}
 * @param image           the container image, or {@code null} for the engine's official image
 * @param binaries        resolves embedded PostgreSQL binaries
 * @param nullMarker      the unquoted CSV field that means NULL, or {@code null} for the default rule (an empty
 *                        unquoted field is NULL, a quoted empty field is the empty string)
 * @param encoding        the CSV files' character encoding
 * @param scale           how far to grow the loaded sample, or {@code null}
 * @param statistics      production's statistics snapshot, or {@code null} when there is none
 * @param maxLockMs       the longest acceptable lock blocking reads or writes
 * @param maxStallMs      the longest acceptable probe stall
 * @param backfills       the folder of backfill files ({@code *.sql}); it may be absent
 * @param maxBackfillMs   the longest acceptable backfill at production size, or {@code null} for no limit
 * @param adviseBatch     whether to try several batch sizes per backfill and recommend one
 * @param backfillsInCode backfills written in Java, run besides the files
 * @param requireRationale whether every pending migration must carry {@code -- why:} and {@code -- approved-by:}
 * @param queries         the workload file ({@code queries.sql}), or {@code null} when there is none
 * @param analyze         whether the queries' plans are taken with EXPLAIN ANALYZE (timed, repeated) as well
 * @param planThresholds  when a query's plan counts as worse
 * @param gitBaseline     how a {@code git:<ref>} baseline resolved to {@link #baseline()}, else {@code null}
 * @param productionPlans production's plans of the queries ({@code plans.json}), or {@code null} when there are none
 * @param maxPaddingMb    the most storage, in MB, written to pad the loaded tables towards production's page counts
 *                        for the plans; 0 turns the padding off
 */
public record RehearsalConfig(Path projectDirectory, Engine engine, String engineVersion, ShadowKind shadow,
                              String image, String serverUrl, String serverUser, String serverPassword,
                              List<String> locations, String baseline, Path dataDirectory, Path reportDirectory,
                              FailOn failOn, EmbeddedBinaries binaries, String nullMarker, Charset encoding,
                              Scale scale, Path statistics, long maxLockMs, long maxStallMs,
                              Path backfills, Long maxBackfillMs, boolean adviseBatch, List<Backfill> backfillsInCode,
                              boolean requireRationale, Path queries, boolean analyze, PlanThresholds planThresholds,
                              Path productionPlans, GitBaseline gitBaseline, long maxPaddingMb) {

    public RehearsalConfig {
        locations = List.copyOf(locations);
        backfillsInCode = List.copyOf(backfillsInCode);
    }
}
