package dev.schemarehearsal.harness.dialect;

/**
 * The engine refused a row of a bulk load. Engines name the row in different ways: by its number, by a line of the
 * file, or only by a value it holds; the loader turns each into the file line the row starts on.
 */
public final class RowRejectedException extends Exception {
    private final long record;
    private final long line;
    private final String column;
    private final String value;
    private final int occurrence;
    private final boolean brokenQuoting;

    private RowRejectedException(long record, long line, String column, String value, int occurrence,
                                 boolean brokenQuoting, String reason, Throwable cause) {
        super(reason, cause);
        this.record = record;
        this.line = line;
        this.column = column;
        this.value = value;
        this.occurrence = occurrence;
        this.brokenQuoting = brokenQuoting;
    }

    /** The 1-based data row, the header not counted. */
    static RowRejectedException atRecord(long record, String column, String reason, Throwable cause) {
        return new RowRejectedException(record, 0, column, null, 0, false, reason, cause);
    }

    /** A line of the file that the row covers (PostgreSQL's COPY counts the lines of quoted newlines too). */
    static RowRejectedException atLine(long line, String column, String reason, Throwable cause) {
        return new RowRejectedException(0, line, column, null, 0, false, reason, cause);
    }

    /** The {@code occurrence}-th row holding {@code value} in {@code column}: 2 for a duplicate key. */
    static RowRejectedException byValue(String column, String value, int occurrence, String reason, Throwable cause) {
        return new RowRejectedException(0, 0, column, value, occurrence, false, reason, cause);
    }

    static RowRejectedException unlocated(String reason, Throwable cause) {
        return new RowRejectedException(0, 0, null, null, 0, false, reason, cause);
    }

    /**
     * The engine could not tell where a field ends: a quote left open ran on to the end of the file. Where it says
     * that happened is no help; where the quote opened is found in the file.
     */
    static RowRejectedException brokenQuoting(String reason, Throwable cause) {
        return new RowRejectedException(0, 0, null, null, 0, true, reason, cause);
    }

    /** The data row's number, or 0. */
    public long record() {
        return record;
    }

    /** A file line the row covers, or 0. */
    public long line() {
        return line;
    }

    /** The column at fault, or {@code null}. */
    public String column() {
        return column;
    }

    /** The value that finds the row when neither its number nor its line is known, or {@code null}. */
    public String value() {
        return value;
    }

    public int occurrence() {
        return occurrence;
    }

    /** Whether the file's quoting, not a row, is at fault: see {@link #brokenQuoting(String, Throwable)}. */
    public boolean brokenQuoting() {
        return brokenQuoting;
    }

    /** The engine's own words. */
    public String reason() {
        return getMessage();
    }
}
