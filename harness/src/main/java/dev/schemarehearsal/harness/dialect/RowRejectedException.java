package dev.schemarehearsal.harness.dialect;

/**
 * The engine refused a row of a bulk load. Engines name the row in different ways: by its number, or only by a value
 * it holds; the loader turns either into a file and line.
 */
public final class RowRejectedException extends Exception {
    private final long record;
    private final String column;
    private final String value;
    private final int occurrence;

    /**
     * @param record     the 1-based data row (the header not counted), or 0 when the engine did not say
     * @param column     the column at fault, or {@code null}
     * @param value      when the row is unknown: the value that finds it, else {@code null}
     * @param occurrence which row holding {@code value} in {@code column} is at fault: 2 for a duplicate key
     * @param reason     the engine's own words
     */
    public RowRejectedException(long record, String column, String value, int occurrence, String reason, Throwable cause) {
        super(reason, cause);
        this.record = record;
        this.column = column;
        this.value = value;
        this.occurrence = occurrence;
    }

    public long record() {
        return record;
    }

    public String column() {
        return column;
    }

    public String value() {
        return value;
    }

    public int occurrence() {
        return occurrence;
    }

    public String reason() {
        return getMessage();
    }
}
