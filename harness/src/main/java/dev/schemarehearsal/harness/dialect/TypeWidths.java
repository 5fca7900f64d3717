package dev.schemarehearsal.harness.dialect;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a column type change loses values: a narrower integer, or a shorter length or precision. */
final class TypeWidths {
    private static final Pattern SIZED = Pattern.compile("([a-z ]+)\\((\\d+)(?:,\\s*\\d+)?\\)(.*)");

    private TypeWidths() {
    }

    /**
     * @param integers     the engine's integer types, narrowest first
     * @param unboundedTo  the unbounded text type and the bounded one it can narrow to, e.g. {@code text}, {@code character varying}
     */
    static boolean narrows(List<String> integers, List<String> unboundedTo, String from, String to) {
        // MariaDB writes integers with a display width, int(11), which says nothing about the range.
        int wasRank = integers.indexOf(from.replaceFirst("\\(\\d+\\)", ""));
        int isRank = integers.indexOf(to.replaceFirst("\\(\\d+\\)", ""));
        if (wasRank >= 0 && isRank >= 0) {
            return isRank < wasRank;
        }
        Matcher was = SIZED.matcher(from);
        Matcher is = SIZED.matcher(to);
        if (is.matches() && !was.matches()) {
            return from.equals(unboundedTo.get(0)) || from.equals(is.group(1).strip());
        }
        return was.matches() && is.matches() && was.group(1).equals(is.group(1))
                && Long.parseLong(is.group(2)) < Long.parseLong(was.group(2));
    }
}
