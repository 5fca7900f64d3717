package dev.schemarehearsal.harness.data;

import java.io.IOException;
import java.io.Reader;
import java.util.Optional;

/**
 * Where a CSV file's quoting first breaks RFC 4180, for the error message once a load failed on it. Commons CSV and
 * the engines say where they gave up, which for a quote left open is the end of the file (the rest of it read into
 * one field), not where the quote opened; neither says which field. So the file is read again here, character by
 * character, only when a load has failed.
 */
final class CsvQuoting {
    private CsvQuoting() {
    }

    enum Kind {
        /** A quoted field runs to the end of the file. */
        UNTERMINATED,
        /** A quote inside a quoted field is neither doubled nor followed by a comma or the line's end. */
        UNDOUBLED,
        /** A quote inside an unquoted field (PostgreSQL's COPY reads it as opening a quoted field). */
        IN_UNQUOTED
    }

    /**
     * The first place the file's quoting is broken.
     *
     * @param line        the line the field starts on, 1-based, the header being line 1
     * @param column      the character of that line where the field's opening quote (or, for {@link Kind#IN_UNQUOTED},
     *                    the stray quote) is, 1-based
     * @param field       the field's position in its row, 0-based
     * @param quoteLine   for {@link Kind#UNDOUBLED}, the line of the quote that is not doubled; else {@code line}
     * @param quoteColumn for {@link Kind#UNDOUBLED}, that quote's character in its line; else {@code column}
     */
    record Problem(Kind kind, long line, long column, int field, long quoteLine, long quoteColumn) { }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    /** Reads the file to its end or its first broken quote; a byte order mark at its start is not a character. */
    static Optional<Problem> find(Reader in) throws IOException {
        State state = State.FIELD_START;
        long line = 1;
        long column = 0;
        int field = 0;
        long openLine = 0;
        long openColumn = 0;
        long quoteLine = 0;
        long quoteColumn = 0;
        boolean afterCarriageReturn = false;
        boolean first = true;
        for (int c = in.read(); c != -1; c = in.read()) {
            if (first && c == '\uFEFF') {
                first = false;
                continue;
            }
            first = false;
            if (c == '\n' && afterCarriageReturn) {
                // The second half of \r\n: the line already ended.
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = c == '\r';
            boolean lineEnd = c == '\n' || c == '\r';
            if (!Character.isLowSurrogate((char) c)) {
                column++;
            }
            switch (state) {
                case FIELD_START, UNQUOTED -> {
                    if (c == '"' && state == State.UNQUOTED) {
                        return Optional.of(new Problem(Kind.IN_UNQUOTED, line, column, field, line, column));
                    }
                    if (c == '"') {
                        state = State.QUOTED;
                        openLine = line;
                        openColumn = column;
                    } else if (c == ',') {
                        field++;
                        state = State.FIELD_START;
                    } else if (lineEnd) {
                        field = 0;
                        state = State.FIELD_START;
                    } else {
                        state = State.UNQUOTED;
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
                        quoteLine = line;
                        quoteColumn = column;
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTED;
                    } else if (c == ',') {
                        field++;
                        state = State.FIELD_START;
                    } else if (lineEnd) {
                        field = 0;
                        state = State.FIELD_START;
                    } else {
                        return Optional.of(new Problem(Kind.UNDOUBLED, openLine, openColumn, field, quoteLine,
                                quoteColumn));
                    }
                }
            }
            if (lineEnd) {
                line++;
                column = 0;
            }
        }
        return state == State.QUOTED
                ? Optional.of(new Problem(Kind.UNTERMINATED, openLine, openColumn, field, openLine, openColumn))
                : Optional.empty();
    }
}
