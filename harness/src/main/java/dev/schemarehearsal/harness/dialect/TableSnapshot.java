package dev.schemarehearsal.harness.dialect;

import java.util.Map;
import java.util.Set;

/**
 * The user tables as one session sees them at one moment: what tracing compares before and after a statement.
 *
 * @param tables each table by name (schema-qualified outside the session's default schema)
 * @param locks  the table locks the session holds
 */
public record TableSnapshot(Map<String, TableState> tables, Set<HeldLock> locks) {
    public static final TableSnapshot NONE = new TableSnapshot(Map.of(), Set.of());

    public TableSnapshot {
        tables = Map.copyOf(tables);
        locks = Set.copyOf(locks);
    }

    /**
     * One table.
     *
     * @param storage  the identity of its storage (PostgreSQL relfilenode, InnoDB space id): a new one means rewritten
     * @param seqScans full scans of it this session's transaction made so far, or 0 where the engine can't tell
     * @param columns  its columns' types by column name, as the engine writes them
     */
    public record TableState(long storage, long seqScans, Map<String, String> columns) {
        public TableState {
            columns = Map.copyOf(columns);
        }
    }

    /** A table lock granted to the session, in the engine's words. */
    public record HeldLock(String table, String mode) { }
}
