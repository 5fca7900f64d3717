package dev.schemarehearsal.harness.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each statement starts in its script. The migration tool hands statements over as text only, so each is looked
 * up in the file, in order; a statement whose text the tool changed (Flyway's placeholders) or that has no file (Java
 * migrations) gets no line. Flyway's text begins with the comments above the statement: its line is that of its first
 * code, as lint reports it.
 */
final class ScriptLines {
    private ScriptLines() {
    }

    static List<Integer> of(String physicalLocation, List<String> statements) {
        List<Integer> lines = new ArrayList<>(Collections.nCopies(statements.size(), null));
        if (physicalLocation == null || !physicalLocation.endsWith(".sql")) {
            return lines;
        }
        String script;
        try {
            script = Files.readString(Path.of(physicalLocation));
        } catch (IOException | RuntimeException e) {
            return lines;
        }
        int from = 0;
        for (int i = 0; i < statements.size(); i++) {
            int at = script.indexOf(statements.get(i), from);
            if (at >= 0) {
                int code = at + codeStart(statements.get(i));
                lines.set(i, 1 + (int) script.substring(0, code).chars().filter(c -> c == '\n').count());
                from = at + statements.get(i).length();
            }
        }
        return lines;
    }

    /** Where the statement's code begins after the blank space, {@code --} lines and {@code /* *}{@code /} blocks above it. */
    static int codeStart(String statement) {
        int at = 0;
        while (at < statement.length()) {
            if (Character.isWhitespace(statement.charAt(at))) {
                at++;
            } else if (statement.startsWith("--", at)) {
                int end = statement.indexOf('\n', at);
                at = end < 0 ? statement.length() : end + 1;
            } else if (statement.startsWith("/*", at) && !statement.startsWith("/*!", at)) {
                at = blockCommentEnd(statement, at);
            } else {
                return at;
            }
        }
        return 0;
    }

    /** After the comment opened at {@code from}; PostgreSQL's block comments nest. */
    private static int blockCommentEnd(String statement, int from) {
        int depth = 0;
        int at = from;
        while (at < statement.length()) {
            if (statement.startsWith("/*", at)) {
                depth++;
                at += 2;
            } else if (statement.startsWith("*/", at)) {
                depth--;
                at += 2;
                if (depth == 0) {
                    return at;
                }
            } else {
                at++;
            }
        }
        return statement.length();
    }
}
