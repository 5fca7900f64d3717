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
 * migrations) gets no line.
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
                lines.set(i, 1 + (int) script.substring(0, at).chars().filter(c -> c == '\n').count());
                from = at + statements.get(i).length();
            }
        }
        return lines;
    }
}
