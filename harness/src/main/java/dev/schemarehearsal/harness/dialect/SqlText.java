package dev.schemarehearsal.harness.dialect;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What SQL text (a migration script, a query) names, read loosely: a miss costs a probe or a plan, a hit little. */
public final class SqlText {
    /**
     * A character that continues a bare identifier on either engine: letters of any script, digits, {@code _} and
     * {@code $}. A name next to one is part of a longer name ({@code orders} in {@code orders_archive}).
     */
    private static final String NAME_CHARACTER = "[\\p{L}\\p{N}_$]";

    private SqlText() {
    }

    /**
     * Whether the text names the identifier (a table or an index), in any case: written bare, or quoted with its own
     * quotes doubled ({@code "a""b"}, {@code `a``b`}). Whatever the name holds, punctuation, spaces or emoji at either
     * end ({@code "#tmp"}, {@code "🍕"}) included, it must not continue a longer name.
     */
    public static boolean names(String text, String identifier) {
        String lower = text.toLowerCase(Locale.ROOT);
        String name = identifier.toLowerCase(Locale.ROOT);
        return Stream.of(name, name.replace("\"", "\"\""), name.replace("`", "``")).distinct()
                .anyMatch(written -> Pattern.compile("(?<!" + NAME_CHARACTER + ")" + Pattern.quote(written)
                        + "(?!" + NAME_CHARACTER + ")").matcher(lower).find());
    }

    /**
     * The text from its first word of SQL: blanks, {@code --} lines and comment blocks before it removed (not MySQL's
     * versioned comments, which are code).
     */
    public static String withoutLeadingComments(String text) {
        String rest = text.strip();
        while (true) {
            if (rest.startsWith("--")) {
                int end = rest.indexOf('\n');
                rest = end < 0 ? "" : rest.substring(end + 1).strip();
            } else if (rest.startsWith("/*") && !rest.startsWith("/*!") && !rest.startsWith("/*M!")) {
                int end = rest.indexOf("*/");
                rest = end < 0 ? "" : rest.substring(end + 2).strip();
            } else {
                return rest;
            }
        }
    }
}
