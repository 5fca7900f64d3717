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
     * @param id       what identifies the table whatever its name: PostgreSQL's oid, InnoDB's table id (which a
     *                 table copy changes, a rename keeps); the same id under a new name is the table renamed
     * @param storage  the identity of its storage (PostgreSQL relfilenode, InnoDB space id): a new one means rewritten
     * @param seqScans full scans of it this session's transaction made so far, or 0 where the engine can't tell
     * @param columns  its columns by name
     */
    public record TableState(long id, long storage, long seqScans, Map<String, ColumnState> columns) {
        public TableState {
            columns = Map.copyOf(columns);
        }
    }

    /**
     * One column.
     *
     * @param id   what identifies it within its table whatever its name: PostgreSQL's attnum, MySQL's ordinal
     *             position; the same id under a name the table didn't have is the column renamed
     * @param type its type as the engine writes it
     */
    public record ColumnState(int id, String type) { }

    /**
     * A table lock granted to the session, in the engine's words.
     *
     * @param tableId the locked table's {@link TableState#id}, or 0 where the engine names the table only
     * @param table   the table's name, or {@code null} when the session's catalog no longer has it (dropped in its
     *                own open transaction)
     */
    public record HeldLock(long tableId, String table, String mode) {
        /** A lock known by the table's name only. */
        public HeldLock(String table, String mode) {
            this(0, table, mode);
        }
    }
}
