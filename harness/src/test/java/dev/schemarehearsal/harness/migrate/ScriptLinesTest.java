package dev.schemarehearsal.harness.migrate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptLinesTest {
    @Test
    void aStatementIsAtTheLineOfItsFirstCodeAfterTheCommentsAboveIt(@TempDir Path folder) throws Exception {
        String first = "-- Full text search\nALTER TABLE issue ADD COLUMN search tsvector";
        String second = "CREATE INDEX idx ON issue (repo_id)";
        String third = "/* the status\n   as a number /* nested */ */\nALTER TABLE issue ADD COLUMN state smallint";
        Path script = Files.writeString(folder.resolve("V4__search.sql"),
                "\n" + first + ";\n" + second + ";\n" + third + ";\n");

        assertThat(ScriptLines.of(script.toString(), List.of(first, second, third))).containsExactly(3, 4, 7);
    }

    @Test
    void aMySqlVersionedCommentIsCode() {
        assertThat(ScriptLines.codeStart("/*!40014 SET FOREIGN_KEY_CHECKS=0 */")).isZero();
        assertThat(ScriptLines.codeStart("-- only a comment")).isZero();
    }

    @Test
    void aStatementWithoutFileHasNoLine() {
        assertThat(ScriptLines.of(null, List.of("SELECT 1"))).containsExactly((Integer) null);
    }
}
