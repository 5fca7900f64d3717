package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scales what each statement measured on the shadow to production's size, by the statistics' row counts. Work that
 * rewrote or scanned a table grows with that table (the largest ratio wins); metadata-only work takes as long as
 * it did on the shadow. A lock is held for longer by exactly the extra work of the statements under it
 * ({@link LockWindows#atProductionSize}).
 */
public final class ProductionEstimates {
    private ProductionEstimates() {
    }

    private static final Pattern TRUNCATE = Pattern.compile("(?i)TRUNCATE\\b");

    /** What an estimate rests on when the shadow is production's full size. */
    public static final String MEASURED_ON_CLONE = "measured on a full-size clone";

    /**
     * On a clone, production's full size: every statement's estimate is its measurement, the range the measurement
     * itself, and the storage growth production's own.
     */
    public static List<MigrationResult> measured(List<MigrationResult> migrations) {
        return migrations.stream().map(m -> m.withEstimates(m.statements().stream()
                .map(s -> s.withEstimate(s.durationMs(), new Range(s.durationMs(), s.durationMs()), MEASURED_ON_CLONE))
                .toList(), m.sizeChange().stream().map(c -> c.atProduction(1)).toList())).toList();
    }

    /**
     * The migrations with their statements' estimates, and their storage growth scaled by each table's rows.
     *
     * @param statistics production's row counts, or {@code null}: then nothing is estimated
     */
    public static List<MigrationResult> apply(List<MigrationResult> migrations, Statistics statistics) {
        if (statistics == null) {
            return migrations;
        }
        List<MigrationResult> estimated = new ArrayList<>();
        for (MigrationResult migration : migrations) {
            List<StatementResult> statements = new ArrayList<>();
            for (StatementResult statement : migration.statements()) {
                Long productionMs = estimate(statement, statistics);
                statements.add(statement.withEstimatedProductionMs(productionMs));
            }
            estimated.add(migration.withEstimates(statements, migration.sizeChange().stream()
                    .map(c -> size(statistics, c.table()).map(t -> c.atProduction((double) t.rows() / t.shadowRows()))
                            .orElse(c)).toList()));
        }
        return estimated;
    }

    /**
     * The statement's duration at production size, or {@code null} when a table it worked through has no row counts.
     * TRUNCATE gives its table new, empty storage whatever the rows it held: its time does not grow with them.
     */
    static Long estimate(StatementResult statement, Statistics statistics) {
        if (TRUNCATE.matcher(statement.sql().substring(ScriptLines.codeStart(statement.sql()))).lookingAt()) {
            return statement.durationMs();
        }
        Set<String> worked = new LinkedHashSet<>(statement.rewrites());
        worked.addAll(statement.scans());
        double factor = 1;
        for (String table : worked) {
            Optional<TableRows> size = size(statistics, table);
            if (size.isEmpty()) {
                return null;
            }
            factor = Math.max(factor, (double) size.get().rows() / size.get().shadowRows());
        }
        return Math.round(statement.durationMs() * factor);
    }

    /** The table's sizes; a qualified name in the snapshot matches a bare one in the measurement and the reverse. */
    public static Optional<TableRows> size(Statistics statistics, String table) {
        return statistics.tables().stream()
                .filter(t -> t.shadowRows() > 0)
                .filter(t -> t.table().equals(table) || bare(t.table()).equals(bare(table)))
                .findFirst();
    }

    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }
}
