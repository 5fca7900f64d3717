package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the statements the migration being applied up to the baseline ran, their text and time only: the baseline is
 * production's schema, not under review. When one fails, the report shows that migration and its failing statement
 * as it shows a pending one's.
 */
final class BaselineTrace implements TracedConnection.Hook, MigrationSource.Events {
    private final MigrationSource source;
    private final List<Ran> statements = new ArrayList<>();
    private Migration current;
    private Connection session;
    private long startedAt;

    /** A statement as it ran: its time, and the engine's error when it failed. */
    private record Ran(String sql, long durationMs, String error) { }

    BaselineTrace(MigrationSource source) {
        this.source = source;
    }

    @Override
    public void starting(Migration migration, Connection session) {
        current = migration;
        this.session = session;
        statements.clear();
        startedAt = System.nanoTime();
    }

    @Override
    public void applied(Migration migration) {
        current = null;
        session = null;
    }

    /** What the tool runs on the session after the failure is its own (its locks released, its history), not the migration's. */
    @Override
    public void failed(Migration migration) {
        session = null;
    }

    @Override
    public Object execute(Connection connection, Connection real, String sql, Tracer.Execution execution) throws Throwable {
        if (!Tracer.migrationStatement(connection, session, sql, source)) {
            return execution.run();
        }
        long start = System.nanoTime();
        try {
            Object result = execution.run();
            statements.add(new Ran(sql.strip(), ms(start), null));
            return result;
        } catch (Throwable e) {
            statements.add(new Ran(sql.strip(), ms(start), e.getMessage() == null ? e.toString() : e.getMessage().strip()));
            throw e;
        }
    }

    /** The migration that failed, or {@code null} when the tool failed outside a migration. */
    Migration failing() {
        return current;
    }

    /** The failed migration as the report shows it: the statements it ran, the last one failed. */
    MigrationResult failed(String error) {
        List<Integer> lines = ScriptLines.of(current.location(), statements.stream().map(Ran::sql).toList());
        List<StatementResult> ran = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Ran statement = statements.get(i);
            ran.add(new StatementResult(i + 1, lines.get(i), statement.sql(), statement.durationMs(), List.of(),
                    List.of(), List.of(), List.of(), 0, null, null, false, statement.error()));
        }
        return new MigrationResult(current.version(), current.description(), current.script(), MigrationStatus.FAILED,
                ms(startedAt), error, ran);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
